"""Generation views: the Generate window for text runs (``text_window``), opened from the
Evaluation tab and the Runs tab."""
