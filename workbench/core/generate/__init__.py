"""Generation from trained models: text from causal language models (``text``), and images
from generators (``images``, where present). Qt-free; the CLI and the app drive it."""
