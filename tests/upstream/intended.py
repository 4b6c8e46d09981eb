"""Wagtail's own tests whose assertions fail on purpose with our plugins installed.

Each is a behaviour the plugins change deliberately; the README ("Wagtail's own tests with
our plugins") explains every reason. ``tests/upstream/run.py`` fails when a test fails an
assertion that is not listed here, or when a listed one passes again.
"""

#: Why, by kind (the README's list uses the same words).
POLICY = "publishing follows the workflow: only who may act on the last step publishes"
STATE_BUTTON = "the page header's 状态 button links to the page history"
PANELS = "our dashboard panels 待我审核 / 我提交的 replace Wagtail's two workflow panels"
MAILS = "our Chinese workflow mails replace Wagtail's for pages"
FEEDBACK = "after a workflow action the notice view says what happened and what is next"
DIALOG = "Wagtail's workflow-cancellation dialog in Chinese (its catalogue lacks it)"
QUERIES = "2 queries a request: the 状态 button's state, the recycle bin left out of the explorer"

_PERMS = "wagtail.tests.test_page_permissions"
_EXPLORER = "wagtail.admin.tests.pages.test_explorer_view"
_WF = "wagtail.admin.tests.test_workflows"

INTENDED = {
    f"{_PERMS}.TestPagePermission.test_publisher_page_permissions": POLICY,
    f"{_PERMS}.TestPagePermission.test_publish_page_permissions_without_edit": POLICY,
    f"{_PERMS}.TestSpecificPagePermission.test_publisher_page_permissions": POLICY,
    f"{_PERMS}.TestSpecificPagePermission.test_publish_page_permissions_without_edit": POLICY,
    f"{_EXPLORER}.TestPageExplorer.test_explore": STATE_BUTTON,
    f"{_EXPLORER}.TestInWorkflowStatus.test_in_workflow_status": QUERIES,
    **{
        f"{_WF}.{case}.test_workflow_dashboard_panel": PANELS
        for case in (
            "TestApproveRejectPageWorkflow",
            "TestApproveRejectSnippetWorkflow",
            "TestApproveRejectSnippetWorkflowNotLockable",
        )
    },
    **{
        f"{_WF}.{case}.{test}": PANELS
        for case in (
            "TestDashboardWithPages",
            "TestDashboardWithSnippets",
            "TestDashboardWithNonLockableSnippets",
        )
        for test in (
            "test_dashboard_for_moderator",
            "test_dashboard_for_moderator_with_previous_revisions",
            "test_dashboard_for_submitter",
        )
    },
    **{
        f"{_WF}.{case}.{test}": MAILS
        for case in ("TestPageNotificationPreferences", "TestPageNotificationPreferencesHTML")
        for test in (
            "test_submitted_email_notifications_sent",
            "test_approved_notifications",
            "test_rejected_notifications",
        )
    },
    **{
        f"{_WF}.TestSubmitPageToWorkflow.{test}": MAILS
        for test in (
            "test_submit_sends_mail",
            "test_submit_sends_html_mail",
            "test_submit_sends_mail_without_base_url",
            "test_submit_sends_html_mail_without_base_url",
        )
    },
    f"{_WF}.TestApproveRejectPageWorkflow.test_approve_task_and_workflow_with_ajax": FEEDBACK,
    "wagtail.snippets.tests.test_workflows.TestConfirmWorkflowCancellation"
    ".test_get_confirm_workflow_cancellation": DIALOG,
}
