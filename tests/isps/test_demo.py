from citysoc.isps import demo
from citysoc.isps.models import IspRequest


def test_the_demo_requests_load_once(isp):
    demo.load()
    demo.load()
    request = IspRequest.objects.get()
    assert request.unit == isp and request.status == "acknowledged"
    assert request.items.filter(answer="notified").count() == 1
