// drawing_got, decoded straight from the frame's UTF-8 into Lines: a board of 10 000 strokes
// is a 10 MB frame of 1.6 million numbers, and QJsonDocument::fromJson + Drawing::fromJson
// (a QJsonValue per number) took ~330 ms of a late joiner's second (bench/board_join_bench).
// Same result as decodeEnvelope + Drawing::fromJson(the payload's object), field for field.
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

} // namespace chalk::protocol
