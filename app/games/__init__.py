"""Games in the app: the points ledger, badges, levels, streaks, challenges and leaderboards.

The rules live in the pure ``games`` package; this package loads rows, calls it and writes
the results. Other areas call :func:`app.games.operations.award_event` and nothing else.
"""
