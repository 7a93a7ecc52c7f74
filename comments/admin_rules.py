"""One permission rule for every admin page about moderation (reports, commenters, notes,
sanctions, reasons, the audit): the comment change form's. Who may view comments may view
them; who may change comments may act on them. Nothing here is ever deleted from the admin."""


def may_view(user):
    return user.has_perm("comments.view_comment") or user.has_perm("comments.change_comment")


def may_change(user):
    return user.has_perm("comments.change_comment")


class CommentRule:
    """Mixed into a ModelAdmin or inline: its model's own permissions are not consulted."""

    def has_view_permission(self, request, obj=None):
        return may_view(request.user)

    def has_change_permission(self, request, obj=None):
        return may_change(request.user)

    def has_add_permission(self, request, obj=None):
        return may_change(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyRecord(CommentRule):
    """A record kept as it was written: shown to those who may view comments, changed by none."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False
