// drawing_got, decoded straight from the frame's UTF-8 into Lines: a board of 10 000 strokes
// is a 10 MB frame of 1.6 million numbers, and QJsonDocument::fromJson + Drawing::fromJson
// (a QJsonValue per number) took ~330 ms of a late joiner's second (bench/board_join_bench).
// Same result as decodeEnvelope + Drawing::fromJson(the payload's object), field for field.
// Read and written by our own code, measured against simdjson and RapidJSON: docs/PERFORMANCE.md.
#pragma once

#include "codec.h"
#include "objects.h"

#include <QByteArrayView>
#include <optional>

namespace chalk::protocol {

struct DecodedDrawing {
    Envelope envelope; // every payload field but the drawing itself
    Drawing drawing;
};

// nullopt when the text is not well-formed JSON or not a drawing_got result: the caller then
// decodes it the ordinary way (decodeEnvelope), which reports errors as usual.
std::optional<DecodedDrawing> decodeDrawingGot(QByteArrayView utf8);

// One line as the compact JSON object QJsonDocument(line.toJson()).toJson(Compact) gives --
// same keys in the same (sorted) order, same JSON types, same bytes for every finite number
// and every string (lone surrogates as \uXXXX escapes) -- without a QJsonValue per number:
// the server encodes a 10 000-stroke board (~790 000 numbers) this way after a start.
// A NaN or infinite number (validation refuses them) is written as null, as QJsonDocument does.
QByteArray encodeLineJson(const Line &line);

} // namespace chalk::protocol
