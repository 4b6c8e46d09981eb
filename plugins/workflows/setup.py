"""The workflows plugin's profile: the default workflows, attached where they belong."""


def setup():
    """单位信息更新 on every resident unit, 典型案例发布 on every case (by type) and case
    index, 会议纪要公示 created for the meetings plugin to attach (idempotent)."""
    from .defaults import attach_defaults

    attach_defaults()
