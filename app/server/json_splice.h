// Puts pre-encoded JSON into an envelope encoded with an empty placeholder: the room and board
// frames are built from cached encodings instead of encoding every member or stroke again
// (docs/PERFORMANCE.md, the fan-out and late-join benchmarks).
#pragma once

#include <QByteArray>
#include <QLatin1String>

namespace chalk::server {

// Replaces the empty value of `"key":{}` or `"key":[]` in compact JSON by `value`. Safe on
// encoder output: a quote followed by a colon only ends a key (inside a string a quote is
// escaped), so the needle cannot match peer-controlled text.
inline void spliceValue(QByteArray &json, QLatin1String key, char empty, const QByteArray &value)
{
    QByteArray needle;
    needle.reserve(key.size() + 5);
    needle.append('"').append(key.data(), key.size()).append("\":");
    needle.append(empty).append(empty == '[' ? ']' : '}');
    const qsizetype at = json.indexOf(needle);
    Q_ASSERT(at >= 0);
    if (at >= 0)
        json.replace(at + needle.size() - 2, 2, value);
}

} // namespace chalk::server
