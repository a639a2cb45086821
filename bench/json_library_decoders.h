// drawing_got readers on RapidJSON, for json_library_bench to hold against
// protocol::decodeDrawingGot (simdjson On-Demand since it read faster than our own reader):
// each gives the same DecodedDrawing (envelope without the drawing, the drawing's lines and
// points) for the same frame, or nullopt when the text is not a well-formed drawing_got. They
// follow decodeDrawingGot's rules (the payload's object candidates in ChatClient's order, a
// non-number point as 0, a non-object line as an empty line).
#pragma once

#include "protocol/drawing_json.h"

#include <QByteArrayView>
#include <optional>

namespace chalk::bench {

// RapidJSON's DOM: Document::Parse (full precision numbers, as strtod), then a walk.
std::optional<protocol::DecodedDrawing> rapidjsonDomDecode(QByteArrayView utf8);
// RapidJSON's SAX Reader (full precision numbers) with a handler that builds the lines as the
// events come, values it does not look into as QJsonValues.
std::optional<protocol::DecodedDrawing> rapidjsonSaxDecode(QByteArrayView utf8);

} // namespace chalk::bench
