"""Sending: the checked rows to the store, each once.

Takes the rows to create (or update) and gives each its outcome as the store's
answer proves it: the HTTP client and transport, the attempt loop and its pauses,
the pace, the token and its renewal, the journal that lets an interrupted run
resume without sending a row twice, and the store's ledger of what it holds.
"""
