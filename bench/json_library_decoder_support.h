// What the library readers of json_library_decoders.h share: the rules of
// protocol::decodeDrawingGot that do not depend on the library.
#pragma once

#include "protocol/answers.h"
#include "protocol/drawing_json.h"
#include "protocol/statements.h"

#include <QJsonObject>
#include <optional>
#include <string_view>

namespace chalk::bench::decoders {

using protocol::DecodedDrawing;
using protocol::Drawing;
using protocol::Line;

inline QString qstr(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// The line's string fields by key; nullptr for any other key.
inline QString *textField(Line *l, std::string_view key)
{
    return key == "uuid"        ? &l->uuid
           : key == "tool"      ? &l->tool
           : key == "color"     ? &l->color
           : key == "user_uuid" ? &l->userUuid
                                : nullptr;
}

// What a walk collected, as decodeDrawingGot answers it.
inline std::optional<DecodedDrawing> finish(const QString &typeName, QJsonObject payload,
                                            std::optional<Drawing> drawing)
{
    const auto type = protocol::typeFromName(typeName);
    const QJsonValue message = payload.value(QLatin1String("message"));
    if (type != protocol::Type::Result || !message.isString() ||
        message.toString() != protocol::name(protocol::Result::DrawingGot))
        return std::nullopt;
    return DecodedDrawing{protocol::Envelope{*type, message.toString(), std::move(payload)},
                          drawing ? std::move(*drawing) : Drawing{}};
}

// The payload's object candidates, in the order ChatClient's objectOf() tries them.
inline int objectRank(std::string_view key)
{
    return protocol::payloadObjectRank(QUtf8StringView(key.data(), qsizetype(key.size())));
}

} // namespace chalk::bench::decoders
