"""placeholder: filled in below."""


def check(view, ctx):
    return []
