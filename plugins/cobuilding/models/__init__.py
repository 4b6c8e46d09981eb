"""The three lists (三个清单), two-way claiming (双向认领), agreements and commitments.

Records, not pages: they are administered in lists under 共建清单 and published on
each community's 公示 board. Every record carries ``community`` and ``year``, and
``unit`` where a resident unit is involved; those fields decide who may see and
change it (see ``policies.py``). The public names are re-exported here.
"""

from .agreements import (
    AGREEMENT_PREAMBLE,
    STANDARD_CLAUSES,
    Agreement,
    Commitment,
    CommitmentParty,
    Fulfilment,
    default_clauses,
)
from .lists import (
    PUBLIC_NEED_STATUSES,
    Category,
    Claim,
    ClaimKind,
    ClaimStatus,
    CommunityYearRecord,
    Need,
    NeedSource,
    NeedStatus,
    ProgressUpdate,
    Project,
    ProjectStatus,
    Resource,
    ResourceStatus,
    this_year,
)

__all__ = [
    "AGREEMENT_PREAMBLE", "PUBLIC_NEED_STATUSES", "STANDARD_CLAUSES", "Agreement", "Category",
    "Claim", "ClaimKind", "ClaimStatus", "Commitment", "CommitmentParty", "CommunityYearRecord",
    "Fulfilment", "Need", "NeedSource", "NeedStatus", "ProgressUpdate", "Project",
    "ProjectStatus", "Resource", "ResourceStatus", "default_clauses", "this_year",
]  # fmt: skip
