import unicodedata

from django import forms
from django.contrib.auth import get_user_model

from articles.models import Author

from .models import BODY_MAX_LENGTH, INVISIBLE_CATEGORIES, Comment, RejectionReason
from .moderation import FormNotDated, moderator

FORM_EXPIRED = (
    "We could not check when this form was opened: it was open too long or was damaged. "
    "Please post your comment again — what you wrote is kept below."
)
BAD_PARENT = (
    "The comment you were replying to can no longer be answered: it may have been removed. "
    "Post again to add your comment on its own — what you wrote is kept below."
)
INVISIBLE_NAME = (
    "Please use only visible letters in your name: it contains a hidden or direction-changing "
    "character (often pasted in by accident)."
)
STAFF_NAME = (
    "This name belongs to a member of our staff. Please choose another name to comment under."
)
# Characters that Unicode counts as letters or symbols but that show as blank space.
BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0\u2800")
# Letters that look like Latin ones (Cyrillic, Greek, digits) fold to the Latin letter, so
# "Јоhn Smith" with a Cyrillic Ј and о has the skeleton of "John Smith". Capitals are listed
# for themselves (Greek Ν looks like N, its small ν like v). Capital I and small l look alike in
# most fonts, so both fold to "l" (after casefold, I is i).
CONFUSABLES = str.maketrans(
    {
        **dict.fromkeys("АΑаɑα", "a"),
        **dict.fromkeys("ВΒвβ", "b"),
        **dict.fromkeys("СϹсϲ", "c"),
        **dict.fromkeys("ԁ", "d"),
        **dict.fromkeys("ЕΕеєε", "e"),
        **dict.fromkeys("НΗһн", "h"),
        **dict.fromkeys("ІΙi1|іıιӏǀ", "l"),
        **dict.fromkeys("Јј", "j"),
        **dict.fromkeys("КΚкκ", "k"),
        **dict.fromkeys("МΜм", "m"),
        **dict.fromkeys("Νηп", "n"),
        **dict.fromkeys("ОΟ0оοσ", "o"),
        **dict.fromkeys("РΡрρ", "p"),
        **dict.fromkeys("ԛ", "q"),
        **dict.fromkeys("Ѕѕ", "s"),
        **dict.fromkeys("ТΤтτ", "t"),
        **dict.fromkeys("υμ", "u"),
        **dict.fromkeys("νѵ", "v"),
        **dict.fromkeys("ԝω", "w"),
        **dict.fromkeys("ХΧхχ", "x"),
        **dict.fromkeys("УΥҮуүγ", "y"),
        **dict.fromkeys("Ζ", "z"),
    }
)
CONFUSABLE_PAIRS = [("rn", "m"), ("vv", "w")]


def skeleton(name):
    """What `name` looks like, for telling whether two names would pass for each other: the
    same letters once compatibility forms, accents, case, lookalike letters, spaces and
    punctuation are set aside ("Ј.  Оhn-Smíth" and "John Smith" have one skeleton)."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.translate(CONFUSABLES).casefold().translate(CONFUSABLES)
    for pair, letter in CONFUSABLE_PAIRS:
        text = text.replace(pair, letter)
    return "".join(c for c in text if c.isalnum())


def staff_skeletons():
    """The skeletons of every name a reader could take for our staff's: bylines, and staff
    accounts' full names and usernames."""
    names = list(Author.objects.values_list("name", flat=True))
    for first, last, username in (
        get_user_model()
        .objects.filter(is_staff=True)
        .values_list("first_name", "last_name", "username")
    ):
        names += [f"{first} {last}", username]
    return {skeleton(name) for name in names} - {""}


class ShownAtField(forms.CharField):
    """The signed time the form was shown, cleaned to the seconds it took to post it. By default
    the exact time, for a form on a page made for one reader; the shared page's form is given
    the time of its cache period instead (comments_for)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            initial=moderator.shown_at_token, error_messages={"required": FORM_EXPIRED}, **kwargs
        )

    def bound_data(self, data, initial):
        # A form shown again (with errors) always carries a fresh time, never the posted one.
        return initial

    def clean(self, value):
        try:
            return moderator.seconds_since_shown(super().clean(value))
        except FormNotDated as error:
            raise forms.ValidationError(FORM_EXPIRED, code=str(error)) from None


class CommentForm(forms.ModelForm):
    # Bots fill in every field; people never see this one.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown_at = ShownAtField()

    class Meta:
        model = Comment
        fields = ["name", "email", "body", "parent"]
        labels = {"name": "Name", "email": "Email", "body": "Comment"}
        help_texts = {
            "email": "Never shown publicly.",
            "body": f"Plain text, up to {BODY_MAX_LENGTH:,} characters.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 6}),
            "parent": forms.HiddenInput,
        }
        error_messages = {
            "name": {"required": "Please give a name to show with your comment."},
            "email": {
                "required": "Please give your email address (it is never shown).",
                "invalid": "Please give a valid email address, like name@example.com.",
            },
            "body": {
                "required": "Please write a comment.",
                "max_length": (
                    f"Please shorten your comment to {BODY_MAX_LENGTH:,} characters "
                    "(it has %(show_value)d)."
                ),
            },
            "parent": {"invalid_choice": BAD_PARENT},
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        # Whatever a bot puts in the honeypot, NUL bytes included, files it as spam: an error
        # on a field people never see would only tell the bot it was caught.
        self.fields["website"].validators = []
        self.instance.article = article
        # Only a published comment under this same story can be replied to.
        self.fields["parent"].queryset = Comment.objects.approved().filter(article=article)

    def clean_name(self):
        """One form of each letter (NFKC: no full-width or styled lookalikes), nothing hidden
        or reordering (bidi overrides, zero-width spaces), and not a staff member's name."""
        name = " ".join(unicodedata.normalize("NFKC", self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(
                self.fields["name"].error_messages["required"], code="required"
            )
        hidden = (
            c in BLANK_LETTERS or unicodedata.category(c) in INVISIBLE_CATEGORIES for c in name
        )
        if any(hidden):
            raise forms.ValidationError(INVISIBLE_NAME, code="invisible")
        if skeleton(name) in staff_skeletons():
            raise forms.ValidationError(STAFF_NAME, code="staff")
        return name

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent is None or parent.parent_id is None:
            return parent
        # Replies go one level deep: a reply to a reply joins the thread it is in.
        thread = parent.parent
        if thread.status != Comment.Status.APPROVED:
            raise forms.ValidationError(BAD_PARENT, code="invalid_choice")
        return thread

    @property
    def replying_to(self):
        """The comment this form answers, if any: for "Replying to NAME" above the form."""
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get("parent")
        return self.initial.get("parent")

    @property
    def spam_reason(self):
        """Why a valid form looks like a bot's work, or "" when it looks like a person's."""
        data = self.cleaned_data
        return moderator.spam_reason(
            honeypot=data["website"],
            seconds_taken=data["shown_at"],
            texts=[data["name"], data["body"]],
        )


class RejectForm(forms.Form):
    """Why comments are rejected: kept on each, in the audit, and told to the commenter when
    COMMENTS_TELL_REJECTED is on. The one rule for every way of rejecting: the queue's button and
    bulk action, the comment's form (its fields), and the keyboard console."""

    reason = forms.ModelChoiceField(
        RejectionReason.objects.all(), label="Why", empty_label="Choose a reason", required=False
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the decision; the commenter reads it if they are told.",
    )

    def clean_reason(self):
        if self.cleaned_data["reason"] is None:
            raise forms.ValidationError("Please choose why (the list is under Rejection reasons).")
        return self.cleaned_data["reason"]


class ConsoleRejectForm(RejectForm):
    """The same form, its reasons as radio buttons: the console's page for rejecting without
    JavaScript shows every reason at once, each one tap."""

    reason = forms.ModelChoiceField(
        RejectionReason.objects.all(), label="Why", required=False, widget=forms.RadioSelect
    )
