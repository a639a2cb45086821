#!/usr/bin/env python3
"""Synthesises the two notification sounds (16-bit mono 44.1 kHz WAV, short, soft).
message.wav: a two-note chime for a message in the open room.
other-room.wav: a single low blip for a message in another room.
Run from this folder; the WAVs are committed so the build needs no audio tools."""
import math, struct, wave

RATE = 44100

def tone(freq, dur, vol=0.35, decay=6.0):
    n = int(RATE * dur)
    out = []
    for i in range(n):
        t = i / RATE
        attack = min(1.0, t / 0.008)  # 8 ms attack: no click
        env = attack * math.exp(-decay * t)
        s = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
        out.append(vol * env * s / 1.25)
    return out

def write(name, samples):
    with wave.open(name, 'wb') as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(RATE)
        w.writeframes(b''.join(struct.pack('<h', int(max(-1, min(1, s)) * 32767)) for s in samples))

def mix_at(base, add, offset):
    out = base + [0.0] * max(0, offset + len(add) - len(base))
    for i, s in enumerate(add):
        out[offset + i] += s
    return out

chime = mix_at(tone(880, 0.35), tone(1318.5, 0.45), int(0.09 * RATE))
write('message.wav', chime)
write('other-room.wav', tone(587.3, 0.22, vol=0.3, decay=12.0))
