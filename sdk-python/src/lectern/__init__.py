"""Lectern for Python: fetch, cache and render prompts from a Lectern server, with live updates,
fallbacks, bootstrap snapshots and track(). Standard library only; Python 3.9+.

    from lectern import Lectern

    lectern = Lectern("https://lectern.example.com", api_key, environment="production")
    prompt = lectern.get_prompt("support/greeting", fallback="Hello {{name}}")
    text = prompt.render({"name": "Ada"})
"""

__version__ = "0.1.0"

from .client import Lectern  # noqa: E402
from .errors import (  # noqa: E402
    LecternAuthError,
    LecternError,
    LecternNetworkError,
    LecternNotFoundError,
    LecternValidationError,
)
from ._images import to_anthropic, to_openai  # noqa: E402
from .prompt import Prompt  # noqa: E402

__all__ = [
    "Lectern",
    "Prompt",
    "to_openai",
    "to_anthropic",
    "LecternError",
    "LecternAuthError",
    "LecternNetworkError",
    "LecternNotFoundError",
    "LecternValidationError",
    "__version__",
]
