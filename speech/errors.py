"""Exceptions raised by :mod:`speech`.

Every error the package raises on purpose derives from one root::

    SpeechError                     anything speech/ refuses to do
    ├── AudioDecodeError            the recording cannot be used (``code`` says why)
    ├── ModelError                  a model is missing, incomplete or fails its checksum
    │                               (``code``: "missing", "checksum", "load")
    └── BackendError                unknown ASR backend or its package is not installed
                                    (``code``: "unknown_backend", "not_installed")

``AudioDecodeError.code`` is a stable machine identifier; the app shows a Russian message
keyed by it:

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

__all__ = ["AudioDecodeError", "BackendError", "ModelError", "SpeechError"]


class SpeechError(Exception):
    """Root of every error raised on purpose by :mod:`speech`.

    :param message: English explanation: what was wrong and what is accepted.
    :param code: stable machine identifier (see the module docstring).
    """

    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.message = message


class AudioDecodeError(SpeechError):
    """The recording cannot be decoded or used; ``code`` says why."""

    default_code = "corrupt"


class ModelError(SpeechError):
    """A speech model is missing, incomplete, fails verification or will not load."""

    default_code = "missing"


class BackendError(SpeechError):
    """An ASR backend is unknown or its optional package is not installed."""

    default_code = "unknown_backend"
