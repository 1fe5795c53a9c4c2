"""The manager's day: staffing (Erlang C and A) so far."""
