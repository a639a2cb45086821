// The one-line JSON output every benchmark under bench/ prints.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <cstdio>
#include <initializer_list>
#include <utility>

namespace chalk::bench {

// One line, keys in the order given ("scenario" first), flushed at once so a runner that
// reads line by line sees it while the benchmark goes on.
template <typename Fields> void printJsonFields(const Fields &fields)
{
    QByteArray line = "{";
    for (const auto &[key, value] : fields) {
        if (line.size() > 1)
            line += ',';
        const QByteArray pair =
            QJsonDocument(QJsonObject{{QLatin1String(key), value}}).toJson(QJsonDocument::Compact);
        line += pair.mid(1, pair.size() - 2); // "key":value without the braces
    }
    line += '}';
    std::printf("%s\n", line.constData());
    std::fflush(stdout);
}

inline void printJson(std::initializer_list<std::pair<const char *, QJsonValue>> fields)
{
    printJsonFields(fields);
}

// For a line whose keys depend on what was built (a QList of key, value pairs).
using JsonFields = QList<std::pair<const char *, QJsonValue>>;

} // namespace chalk::bench
