// The protocol tests' one way to write a call as the wire carries it.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

// {"type":"call","payload":{"message":name, ...fields}}, compact UTF-8.
inline QByteArray call(const char *name, const QJsonObject &fields = {})
{
    QJsonObject payload = fields;
    payload.insert(QStringLiteral("message"), QString::fromLatin1(name));
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("call")},
                                     {QStringLiteral("payload"), payload}})
        .toJson(QJsonDocument::Compact);
}
