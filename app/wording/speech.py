"""Russian wording of the speech package's error codes (see :mod:`app.wording`).

Each template is a whole sentence (capital letter, full stop). The codes of
:class:`speech.AudioDecodeError` say what is wrong with a recording: their wording is what
the upload form and the call page show (they used to live in
:mod:`app.calls.operations`). The other codes are about the installation (models, backends),
so the sentence sends the person to the administrator.
"""

from __future__ import annotations

from typing import Any

ADMIN: str = "сообщите администратору"

WORDING: dict[str, Any] = {
    # --- the recording (AudioDecodeError)
    "empty": "Файл пустой: в нём нет звука.",
    "corrupt": "Файл повреждён или обрезан — его не удаётся прочитать как аудио.",
    "unsupported_format": "Это не аудиофайл. Принимаются WAV (PCM, mu-law, A-law), MP3, OGG/Opus и FLAC.",
    "unsupported_channels": "Слишком много каналов: принимаются только моно- и стереозаписи.",
    "unsupported_rate": "Частота дискретизации вне диапазона 8–48 кГц.",
    "too_long": "Запись длиннее допустимых трёх часов.",
    "silence": "В записи нет речи — только тишина.",
    "not_found": "Файл не найден.",
    # --- the installation (SpeechError, ModelError, BackendError)
    "error": f"Запись не удалось обработать — {ADMIN}.",
    "bad_option": f"Запись не удалось обработать: неверная настройка обработки — {ADMIN}.",
    "missing": f"Модель распознавания речи не найдена или установлена не полностью — {ADMIN}.",
    "checksum": f"Файлы модели распознавания речи повреждены: контрольная сумма не совпадает — {ADMIN}.",
    "load": f"Модель распознавания речи не загружается — {ADMIN}.",
    "unknown_backend": f"В настройках указан неизвестный движок распознавания речи — {ADMIN}.",
    "not_installed": f"Движок распознавания речи из настроек не установлен — {ADMIN}.",
}
