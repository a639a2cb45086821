// drawing_got readers built on JSON libraries, for json_library_bench to hold against
// protocol::decodeDrawingGot: each gives the same DecodedDrawing (envelope without the drawing,
// the drawing's lines and points) for the same frame, or nullopt when the text is not a
// well-formed drawing_got. They follow decodeDrawingGot's rules (the payload's object
// candidates in ChatClient's order, a non-number point as 0, a non-object line as an empty
// line); where a library itself differs (what it accepts) the header of docs/PERFORMANCE.md's
// "JSON: libraries measured against ours" says so.
#pragma once

#include "protocol/drawing_json.h"

#include <QByteArrayView>
#include <memory>
#include <optional>

namespace chalk::bench {

// simdjson's On-Demand API. The text must be readable for SIMDJSON_PADDING bytes past its end
// (`capacity` counts them): simdjson reads in 64-byte blocks. One parser is kept (its buffers
// grow to the biggest frame), as a client would keep one per decoding thread.
class SimdjsonDrawingReader {
public:
    SimdjsonDrawingReader();
    ~SimdjsonDrawingReader();
    std::optional<protocol::DecodedDrawing> decode(const char *text, qsizetype size,
                                                   qsizetype capacity);
    static const char *implementation(); // "haswell", "westmere", ... (chosen at run time)

private:
    struct Parser;
    std::unique_ptr<Parser> m_parser;
};

// RapidJSON's DOM: Document::Parse (full precision numbers, as strtod), then a walk.
std::optional<protocol::DecodedDrawing> rapidjsonDomDecode(QByteArrayView utf8);
// RapidJSON's SAX Reader (full precision numbers) with a handler that builds the lines as the
// events come, values it does not look into as QJsonValues.
std::optional<protocol::DecodedDrawing> rapidjsonSaxDecode(QByteArrayView utf8);

} // namespace chalk::bench
