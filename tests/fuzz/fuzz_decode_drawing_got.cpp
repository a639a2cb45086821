// libFuzzer target: the client's fast drawing_got reader (decodeDrawingGot, our own reader),
// which every frame from the server over 64 KiB goes through. Besides "no crash, no UB", its
// promise (drawing_json.h): where decodeEnvelope reads the frame too, the drawing is the one
// decodeEnvelope + Drawing::fromJson(payloadObject()) give, and so are the type and name.
#include "fuzz_support.h"
#include "protocol/answers.h"
#include "protocol/drawing_json.h"
#include "protocol/objects.h"

using namespace chalk::protocol;
using chalk::fuzz::compact;
using chalk::fuzz::fail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto fast = decodeDrawingGot(input);
    if (!fast)
        return 0; // the client then decodes it the ordinary way
    const auto slow = decodeEnvelope(input);
    // A fast reader may read a few texts Qt's parser refuses (simdjson, used here for a while,
    // read the underflowing 1e-380 as 0): the client then shows what our own server never
    // sends, which is harmless. What must hold is that both read the same wherever both read.
    if (!slow)
        return 0;
    if (fast->envelope.type != slow->type || fast->envelope.message != slow->message)
        fail("decodeDrawingGot must read the same type and name", slow->message.toUtf8());
    const QJsonObject expected = Drawing::fromJson(payloadObject(slow->payload)).toJson();
    const QJsonObject got = fast->drawing.toJson();
    if (got != expected)
        fail("decodeDrawingGot must read the drawing Drawing::fromJson reads",
             compact(got) + "\n!= " + compact(expected));
    return 0;
}
