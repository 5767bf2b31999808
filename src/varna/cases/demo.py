def load(municipality, *, actor=None):
    return ""
