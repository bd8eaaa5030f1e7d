"""Real audio files made for the tests with ffmpeg and lame (installed by .ci/run)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import require

#: Formats the tests measure, with the encoder arguments that make them.
FORMATS = {
    "mp3": None,  # encoded by lame from a WAV made by ffmpeg
    "m4a": ["-c:a", "aac"],
    "ogg": ["-c:a", "libvorbis"],
    "wav": [],
}


def make_audio(path: Path, seconds: float, frequency: int = 440) -> Path:
    """Write a sine tone of ``seconds`` to ``path`` in the format its extension names."""
    ffmpeg = require("ffmpeg")
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = path.suffix.lstrip(".").lower()
    source = f"sine=frequency={frequency}:duration={seconds}"
    base = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, "-ar", "44100"]
    if kind == "mp3":
        lame = require("lame")
        wav = path.with_suffix(".source.wav")
        subprocess.run([*base, str(wav)], check=True)
        subprocess.run([lame, "--quiet", str(wav), str(path)], check=True)
        wav.unlink()
    else:
        subprocess.run([*base, *FORMATS[kind], str(path)], check=True)
    return path
