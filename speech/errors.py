"""Exceptions raised by :mod:`speech`.

Every error the package raises on purpose derives from one root::

    SpeechError                     anything speech/ refuses to do (``code``: "error",
    │                               "bad_option" for an option outside its accepted values)
    ├── AudioDecodeError            the recording cannot be used (``code`` says why;
    │                               "corrupt" by default)
    ├── ModelError                  a model is missing, incomplete or fails its checksum
    │                               (``code``: "missing" by default, "checksum", "load")
    └── BackendError                unknown ASR backend or its package is not installed
                                    (``code``: "unknown_backend" by default, "not_installed")

Each error carries a stable ``code`` (the class default, or a more specific one given where it
is raised) and ``params``, the values a sentence about it may need. The app shows the Russian
wording it keeps by code (``app/wording/speech.py``). The codes of :class:`AudioDecodeError`:

=========================  ==================================================================
code                       meaning
=========================  ==================================================================
``empty``                  the file has no bytes, or it holds zero audio frames
``corrupt``                it looks like audio (WAV/MP3/OGG/FLAC) but is truncated or damaged
``unsupported_format``     it is not an audio file we can read (text, image, unknown codec)
``unsupported_channels``   more than two channels (mono or stereo are accepted)
``unsupported_rate``       sample rate outside 8–48 kHz
``too_long``               longer than the configured maximum (3 h by default)
``silence``                there is no speech in the recording
``not_found``              the path does not exist or is not a file
=========================  ==================================================================

The English ``str(error)`` names what was wrong and what is accepted; it is meant for logs and
the CLI, never for a stack trace in the UI.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AudioDecodeError", "BackendError", "ModelError", "SpeechError"]


class SpeechError(Exception):
    """Root of every error raised on purpose by :mod:`speech`.

    :param message: English explanation: what was wrong and what is accepted.
    :param code: stable machine identifier (see the module docstring); the class default
        when omitted.
    :param params: the values a sentence about the error needs.
    """

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code or type(self).code
        self.params: dict[str, Any] = params
        self.message = message


class AudioDecodeError(SpeechError):
    """The recording cannot be decoded or used; ``code`` says why."""

    code = "corrupt"


class ModelError(SpeechError):
    """A speech model is missing, incomplete, fails verification or will not load."""

    code = "missing"


class BackendError(SpeechError):
    """An ASR backend is unknown or its optional package is not installed."""

    code = "unknown_backend"
