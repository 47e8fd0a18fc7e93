"""SMS over HTTP: the number and the text filled into the gateway's URL template."""

from urllib.parse import parse_qs, urlsplit

from citysoc.notify.models import Channel
from tests.notify.transports.support import golden, send


def test_an_sms_gateway_gets_the_number_and_text_in_its_url(db, api, unit_a):
    channel = Channel.objects.create(
        unit=unit_a,
        kind="sms_http",
        name="SMS",
        config={
            "url_template": api.base_url + "/send?to={to}&msg={text}",
            "numbers": ["+84912345678"],
        },
    )
    assert send(channel, body="")[1].sent == 1
    (request,) = api.received
    assert request.method == "GET"
    assert parse_qs(urlsplit(request.path).query) == golden("sms_http/query.json")
