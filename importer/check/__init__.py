"""Checking: each row judged as the store would judge it, before anything is sent.

Takes mapped rows and gives, per row, the body to send or the reason the row is set
aside (invalid email, a phone that would change, a name that is only half a name),
and drops the rows that repeat an earlier row's address.
"""
