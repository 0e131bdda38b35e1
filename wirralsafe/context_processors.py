"""What the base template's menu needs to know about the user."""

from programmes.scoping import may_use_returns_page


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A link is shown only to those the page would not refuse.
    return {"nav_returns": may_use_returns_page(user)}
