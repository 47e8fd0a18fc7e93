"""The letterhead of the city's documents: who issues them, where, who signs.

Shared by every area's official documents (the directives and their results, botnet
report, duty roster, compliance and ISP letters, the city reports); the Decree 30 layout
itself is in `lib/official_document/`, which reads a `Letterhead` as its `Issuer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citysoc.core.models import Unit


@dataclass
class Letterhead:
    """What the Decree 30 header and signature blocks need (a directive has the same)."""

    issuing_body: str
    place: str
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""
    head_lines: list[str] = field(default_factory=list)

    def signature_lines(self) -> list[str]:
        return [*self.head_lines, self.signer_title]


def letterhead_for(city: Unit | None) -> Letterhead:
    name = city.name if city else ""
    place = name
    for prefix in ("Thành phố ", "Tỉnh ", "Huyện ", "Thị xã "):
        place = place.removeprefix(prefix)
    parent = f"ỦY BAN NHÂN DÂN {name.upper()}".strip()
    return Letterhead(
        issuing_body=f"{parent}\nTRUNG TÂM GIÁM SÁT AN TOÀN THÔNG TIN",
        place=place or "…",
    )
