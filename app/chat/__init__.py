"""Live chat between a subscriber and an operator: the queue, the console, the event stream."""
