// libFuzzer target: what the client does with every frame the server sends -- decode the
// envelope, read its objects (room, message, line, drawing, user) and write them out again.
// Property besides "no crash, no UB": one fromJson/toJson round trip reaches a fixed point.
#include "fuzz_support.h"
#include "protocol/codec.h"
#include "protocol/objects.h"

#include <QJsonArray>

using namespace chalk::protocol;
using chalk::fuzz::compact;
using chalk::fuzz::fail;

namespace {

template <typename T> void roundTrip(const QJsonObject &json, const char *what)
{
    const QJsonObject once = T::fromJson(json).toJson();
    const QJsonObject twice = T::fromJson(once).toJson();
    if (once != twice)
        fail(what, compact(once) + "\n-> " + compact(twice));
}

void everyObject(const QJsonObject &json)
{
    roundTrip<User>(json, "User round trip must be stable");
    roundTrip<Room>(json, "Room round trip must be stable");
    roundTrip<Message>(json, "Message round trip must be stable");
    roundTrip<Line>(json, "Line round trip must be stable");
    roundTrip<Drawing>(json, "Drawing round trip must be stable");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto envelope = decodeEnvelope(input);
    if (!envelope)
        return 0;
    // Results carry one object under "object" or many under "list" (docs/PROTOCOL.md).
    const QJsonObject &payload = envelope->payload;
    everyObject(payload);
    everyObject(payload.value(QLatin1String("object")).toObject());
    for (const QJsonValue &item : payload.value(QLatin1String("list")).toArray())
        everyObject(item.toObject());

    // What the client logs and re-sends must encode again without loss of the name.
    const auto again = decodeEnvelope(encode(envelope->type, QLatin1String("x"), payload));
    if (!again || again->type != envelope->type)
        fail("a decoded envelope must encode again", compact(payload));
    if (const auto call = callFromName(envelope->message); call && name(*call) != envelope->message)
        fail("statement table lookup must round trip", envelope->message.toUtf8());
    return 0;
}
