"""The subscriber cabinet: sign-in by phone and a one-time code, the line, requests, ratings."""
