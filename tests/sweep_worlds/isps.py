"""ISP requests in the tenancy sweep: an ISP under each ward, with a request, an answer and
a proof file; the work page and the scoreboard are walked as pages of the ward."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from citysoc.core.models import Unit
from citysoc.isps import requesting
from citysoc.isps.models import IspProof
from tests import factories

MODELS = {"requests": "isprequest", "isp-requests": "isprequest", "proof": "ispproof"}
POST_ONLY = {"isp-request-acknowledge", "isp-request-answer"}
QUERY_VARIANTS = {
    "reports:report-download": [
        "?kind=weekly&fmt=docx",
        "?kind=half-year&fmt=xlsx",
        "?kind=year&fmt=pdf",
    ],
    "core:my-work": ["", "?unit=ward-b", "?unit=ward-a"],
}


def build(unit, officer, letter: str, third_octets: str) -> dict[str, int]:
    isp = factories.make_unit(f"isp-{letter.lower()}", kind=Unit.Kind.ISP, parent=unit)
    request = requesting.send(
        isp,
        kind="block",
        subject=f"MARK-{letter} block request",
        due_at=timezone.now(),
        lines=requesting.parse_lines("block", f"{third_octets}.9 MARK-{letter}"),
    )
    proof = IspProof.objects.create(
        request=request,
        unit=isp,
        file=ContentFile(b"acl", f"mark-{letter.lower()}-acl.txt"),
        filename=f"mark-{letter.lower()}-acl.txt",
    )
    return {"isprequest": request.pk, "ispproof": proof.pk}
