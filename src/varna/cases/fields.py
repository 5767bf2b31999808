"""The encrypted text field lives in core (``varna.core.fields``), since the audit log uses it too; this name
stays for the cases models and their migrations."""

from varna.core.fields import DecryptionError, EncryptedTextField, decrypt, encrypt, fernet

__all__ = ["DecryptionError", "EncryptedTextField", "decrypt", "encrypt", "fernet"]
