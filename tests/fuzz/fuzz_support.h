// Shared by the libFuzzer targets: a property violation aborts, so libFuzzer keeps the input.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <cstdlib>

namespace chalk::fuzz {

[[noreturn]] inline void fail(const char *property, const QByteArray &detail = {})
{
    std::fprintf(stderr, "\n*** property violated: %s\n%s\n", property, detail.constData());
    std::abort();
}

inline QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace chalk::fuzz
