// line_json_bench: encoding a 10 000-stroke board's lines as the server's first drawing_got
// after a start does, one JSON line per scenario (docs/PERFORMANCE.md style).
//   encode_<points>: every line through QJsonDocument(line.toJson()).toJson(Compact) (old) and
//     through protocol::encodeLineJson (new); best of --repeat runs, ms for all lines, and
//     how many lines differ byte for byte (must be 0). points: one_decimal (what clients
//     send), mixed (1 point in 17 a raw double), raw (every point a raw double: worst case).
//   sqlite_lines: the same board in a SqliteStorage file; a fresh SqliteStorage's first and
//     later lines() of the room, ms (the other half of the first drawing_got).
// line_json_bench [--lines N] [--repeat R] [--no-sqlite]
#include "bench_json.h"
#include "board_lines.h"
#include "protocol/drawing_json.h"
#include "protocol/objects.h"

#ifdef CHALK_BENCH_WITH_STORAGE
#include "board_storage.h"
#include "server/storage/sqlite_storage.h"

#include <QTemporaryDir>
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace chalk;
using protocol::Line;

namespace {

using chalk::bench::makeLines;
using chalk::bench::Points;
using chalk::bench::printJson;

template <typename Encode> double bestMs(const QList<Line> &lines, int repeat, Encode encode)
{
    double best = 1e300;
    for (int r = 0; r < repeat; ++r) {
        QList<QByteArray> out;
        out.reserve(lines.size());
        QElapsedTimer t;
        t.start();
        for (const Line &l : lines)
            out.append(encode(l));
        best = std::min(best, double(t.nsecsElapsed()) / 1e6);
    }
    return best;
}

void encodeScenario(const char *name, Points kind, int count, int repeat)
{
    qint64 points = 0;
    const QList<Line> lines = makeLines(count, kind, &points);
    auto oldWay = [](const Line &l) {
        return QJsonDocument(l.toJson()).toJson(QJsonDocument::Compact);
    };
    int differing = 0;
    qint64 bytes = 0;
    for (const Line &l : lines) {
        const QByteArray text = protocol::encodeLineJson(l);
        bytes += text.size();
        differing += text != oldWay(l);
    }
    const double oldMs = bestMs(lines, repeat, oldWay);
    const double newMs =
        bestMs(lines, repeat, [](const Line &l) { return protocol::encodeLineJson(l); });
    printJson({{"scenario", QLatin1String(name)},
               {"lines", count},
               {"points", double(points)},
               {"bytes", double(bytes)},
               {"old_ms", std::round(oldMs * 10) / 10},
               {"new_ms", std::round(newMs * 10) / 10},
               {"speedup", std::round(oldMs / newMs * 10) / 10},
               {"differing_lines", differing},
               {"repeat", repeat}});
}

#ifdef CHALK_BENCH_WITH_STORAGE
void sqliteScenario(int count, int repeat)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lines.db"));
    const QString roomUuid = protocol::newUuid();
    qint64 points = 0;
    const QList<Line> lines = makeLines(count, Points::OneDecimal, &points);
    const bool filled = chalk::bench::fillBoardStorage(path, roomUuid, lines);
    if (!filled) {
        printJson({{"scenario", QLatin1String("sqlite_lines")}, {"error", QLatin1String("fill")}});
        return;
    }
    double firstMs = 0, laterMs = 1e300;
    int got = 0;
    {
        server::SqliteStorage storage(path); // a fresh one, as after a server start
        if (!QCoro::waitFor(storage.open())) {
            printJson(
                {{"scenario", QLatin1String("sqlite_lines")}, {"error", QLatin1String("open")}});
            return;
        }
        for (int r = 0; r <= repeat; ++r) {
            QElapsedTimer t;
            t.start();
            const auto read = QCoro::waitFor(storage.lines(roomUuid));
            const double ms = double(t.nsecsElapsed()) / 1e6;
            got = read ? int(read->size()) : -1;
            if (r == 0)
                firstMs = ms;
            else
                laterMs = std::min(laterMs, ms);
        }
    }
    printJson({{"scenario", QLatin1String("sqlite_lines")},
               {"lines", got},
               {"points", double(points)},
               {"first_ms", std::round(firstMs * 10) / 10},
               {"later_ms", std::round(laterMs * 10) / 10},
               {"repeat", repeat}});
}
#endif

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption linesOpt(QStringLiteral("lines"), QStringLiteral("Lines."),
                                      QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption repeatOpt(QStringLiteral("repeat"), QStringLiteral("Runs (best)."),
                                       QStringLiteral("R"), QStringLiteral("5"));
    const QCommandLineOption noSqliteOpt(QStringLiteral("no-sqlite"),
                                         QStringLiteral("Skip the SqliteStorage read."));
    parser.addOptions({linesOpt, repeatOpt, noSqliteOpt});
    parser.process(app);
    const int count = std::max(1, parser.value(linesOpt).toInt());
    const int repeat = std::max(1, parser.value(repeatOpt).toInt());

    encodeScenario("encode_one_decimal", Points::OneDecimal, count, repeat);
    encodeScenario("encode_mixed", Points::Mixed, count, repeat);
    encodeScenario("encode_raw", Points::Raw, count, repeat);
#ifdef CHALK_BENCH_WITH_STORAGE
    if (!parser.isSet(noSqliteOpt))
        sqliteScenario(count, repeat);
#endif
    return 0;
}
