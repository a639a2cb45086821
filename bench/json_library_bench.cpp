// json_library_bench: our hand-written JSON (protocol/drawing_json, the server's frame splice)
// against simdjson and RapidJSON on the 10 000-line board (issue 9), one JSON line per scenario
// (docs/PERFORMANCE.md "JSON: libraries measured against ours"). Medians of --repeat runs, in
// ms, taken in rounds (each candidate once per round): `<name>_ms` wall clock, `<name>_cpu_ms`
// the bench thread's CPU time, `<name>_vs_ours` = library CPU / our CPU; each line with the
// 1-minute load average when it was printed.
//   libraries: the simdjson and RapidJSON it was built with (and whether simdjson has a builder).
//   decode_<points>: a 10 000-line drawing_got, as the server sends it, into a DecodedDrawing:
//     decodeDrawingGot (ours), simdjson On-Demand (from padded text; with the copy into a
//     padded buffer; with that copy and a new parser), RapidJSON Document and Reader (SAX).
//   encode_<points>: every line as encodeLineJson writes it (ours) and by RapidJSON's Writer;
//     `rapidjson_differing_lines`: lines whose bytes differ from ours.
//   room_frame: room_changed of a --members room: the splice of cached members (ours), a
//     Writer with the same cached members as RawValue, a Writer writing every member.
//   drawing_frame: drawing_got of the board: the splice of the cached lines array (ours) and a
//     Writer with the array as RawValue.
// Every library's result is compared with ours before it is timed; a decode or frame that
// differs, or a line of one-decimal points (what clients send) that differs, aborts (exit 1).
// json_library_bench [--lines N] [--repeat R] [--members M]
#include "bench_json.h"
#include "board_lines.h"
#include "json_library_decoders.h"
#include "json_library_writers.h"
#include "protocol/drawing_json.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <list>
#include <memory>
#include <rapidjson/rapidjson.h>
#include <simdjson.h>
#include <vector>

using namespace chalk;
using chalk::bench::JsonFields;
using chalk::bench::makeLines;
using chalk::bench::Points;
using chalk::bench::printJson;
using chalk::bench::printJsonFields;
using protocol::DecodedDrawing;
using protocol::Line;

namespace {

constexpr const char *kPointNames[] = {"one_decimal", "mixed", "raw"};

double loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return f.readAll().split(' ').value(0).toDouble();
}

double round2(double v)
{
    return std::round(v * 100) / 100;
}

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Something to time, by the name its keys get.
struct Candidate {
    const char *name;
    std::function<void()> run;
};

// Runs every candidate once per round, `repeat` rounds, so that a change of load or of the heap
// touches them alike, and appends for each `<name>_ms` (median wall clock), `<name>_cpu_ms`
// (median CPU time of this thread: what the comparison uses, since on a machine shared with
// other builds the wall clock also counts the waits for a core) and, after the first
// candidate (ours), `<name>_vs_ours` = its CPU time / ours.
void race(JsonFields &fields, int repeat, const std::vector<Candidate> &candidates)
{
    std::vector<std::vector<double>> wall(candidates.size()), cpu(candidates.size());
    for (int r = 0; r < repeat; ++r) {
        for (size_t i = 0; i < candidates.size(); ++i) {
            QElapsedTimer t;
            const double cpu0 = threadCpuMs();
            t.start();
            candidates[i].run();
            wall[i].push_back(double(t.nsecsElapsed()) / 1e6);
            cpu[i].push_back(threadCpuMs() - cpu0);
        }
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    static std::list<QByteArray> keys; // the keys must outlive `fields`
    auto key = [](const char *name, const char *suffix) {
        keys.push_back(QByteArray(name) + suffix);
        return keys.back().constData();
    };
    const double oursCpu = median(cpu[0]);
    for (size_t i = 0; i < candidates.size(); ++i) {
        fields.append({key(candidates[i].name, "_ms"), round2(median(wall[i]))});
        fields.append({key(candidates[i].name, "_cpu_ms"), round2(median(cpu[i]))});
        if (i > 0)
            fields.append({key(candidates[i].name, "_vs_ours"), round2(median(cpu[i]) / oursCpu)});
    }
}

[[noreturn]] void mismatch(const char *what)
{
    std::fprintf(stderr, "json_library_bench: %s differs from ours\n", what);
    std::exit(1);
}

bool sameBits(const QList<double> &a, const QList<double> &b)
{
    return a.size() == b.size() && (a.isEmpty() || std::memcmp(a.constData(), b.constData(),
                                                               a.size() * sizeof(double)) == 0);
}

bool sameDecode(const std::optional<DecodedDrawing> &a, const std::optional<DecodedDrawing> &b)
{
    if (!a || !b)
        return !a && !b;
    if (a->envelope.type != b->envelope.type || a->envelope.message != b->envelope.message ||
        a->envelope.payload != b->envelope.payload || a->drawing.uuid != b->drawing.uuid ||
        a->drawing.lines.size() != b->drawing.lines.size())
        return false;
    for (qsizetype i = 0; i < a->drawing.lines.size(); ++i) {
        const Line &x = a->drawing.lines[i], &y = b->drawing.lines[i];
        if (x.uuid != y.uuid || x.tool != y.tool || x.color != y.color || x.width != y.width ||
            x.userUuid != y.userUuid || !sameBits(x.points, y.points))
            return false;
    }
    return true;
}

QByteArray joinedLines(const QList<Line> &lines)
{
    QByteArray joined("[");
    for (const Line &l : lines) {
        if (joined.size() > 1)
            joined.append(',');
        joined.append(protocol::encodeLineJson(l));
    }
    joined.append(']');
    return joined;
}

void printLibraries()
{
    const QJsonValue simdjson = QStringLiteral("%1.%2.%3")
                                    .arg(simdjson::SIMDJSON_VERSION_MAJOR)
                                    .arg(simdjson::SIMDJSON_VERSION_MINOR)
                                    .arg(simdjson::SIMDJSON_VERSION_REVISION);
    const QJsonValue implementation = QLatin1String(bench::SimdjsonDrawingReader::implementation());
    const QJsonValue rapidjson = QLatin1String(RAPIDJSON_VERSION_STRING);
    // simdjson 3.0.1 (Debian 12) has no builder: internal::string_builder only re-serialises a
    // parsed dom::element (a public builder came with simdjson 4).
    printJson({{"scenario", QLatin1String("libraries")},
               {"simdjson", simdjson},
               {"simdjson_implementation", implementation},
               {"simdjson_builder", false},
               {"rapidjson", rapidjson},
               {"loadavg_1m", loadAverage()}});
}

void decodeScenario(Points kind, int count, int repeat)
{
    qint64 points = 0;
    const QList<Line> lines = makeLines(count, kind, &points);
    const QByteArray sent =
        bench::spliceDrawingFrame(protocol::newUuid(), joinedLines(lines), QStringLiteral("c-1"));
    // Room for simdjson's padding past the end; a client can ask for it where it converts
    // the frame to UTF-8 (ChatClient::decodeFrame), so no copy is timed for it.
    QByteArray frame;
    frame.reserve(sent.size() + 64);
    frame.append(sent);
    const auto ours = protocol::decodeDrawingGot(frame);
    if (!ours || ours->drawing.lines.size() != count)
        mismatch("our own decode (of the frame spliceDrawingFrame wrote)");
    const char *name = kPointNames[int(kind)];
    JsonFields fields{{"scenario", QString(QLatin1String("decode_") + QLatin1String(name))},
                      {"lines", count},
                      {"points", double(points)},
                      {"bytes", double(frame.size())}};
    std::vector<Candidate> candidates{{"ours", [&] { protocol::decodeDrawingGot(frame); }}};
    auto library = [&](const char *name, auto decode) {
        if (!sameDecode(decode(), ours))
            mismatch(name);
        candidates.push_back({name, [decode] { decode(); }});
    };
    auto simdjson = std::make_shared<bench::SimdjsonDrawingReader>();
    library("simdjson", [&, simdjson] {
        return simdjson->decode(frame.constData(), frame.size(), frame.capacity());
    });
    // The same from text without room past its end, as decodeDrawingGot(QByteArrayView) gets
    // it today: copied into a padded buffer first.
    library("simdjson_copy", [&, simdjson] {
        const simdjson::padded_string padded(sent.constData(), size_t(sent.size()));
        return simdjson->decode(padded.data(), qsizetype(padded.size()),
                                qsizetype(padded.size() + simdjson::SIMDJSON_PADDING));
    });
    // And with a new parser each time (its buffers allocated for this frame, freed after).
    library("simdjson_fresh", [&] {
        bench::SimdjsonDrawingReader reader;
        const simdjson::padded_string padded(sent.constData(), size_t(sent.size()));
        return reader.decode(padded.data(), qsizetype(padded.size()),
                             qsizetype(padded.size() + simdjson::SIMDJSON_PADDING));
    });
    library("rapidjson_dom", [&] { return bench::rapidjsonDomDecode(frame); });
    library("rapidjson_sax", [&] { return bench::rapidjsonSaxDecode(frame); });
    race(fields, repeat, candidates);
    fields.append({"repeat", repeat});
    fields.append({"loadavg_1m", loadAverage()});
    printJsonFields(fields);
}

void encodeScenario(Points kind, int count, int repeat)
{
    qint64 points = 0;
    const QList<Line> lines = makeLines(count, kind, &points);
    QList<QByteArray> ours;
    for (const Line &l : lines)
        ours.append(protocol::encodeLineJson(l));
    const char *name = kPointNames[int(kind)];
    JsonFields fields{{"scenario", QString(QLatin1String("encode_") + QLatin1String(name))},
                      {"lines", count},
                      {"points", double(points)}};
    auto encodeAll = [&](auto encode) {
        QList<QByteArray> out;
        out.reserve(lines.size());
        for (const Line &l : lines)
            out.append(encode(l));
    };
    std::vector<Candidate> candidates{
        {"ours", [&] { encodeAll([](const Line &l) { return protocol::encodeLineJson(l); }); }}};
    bench::RapidjsonLineWriter writer;
    int differing = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray text = writer.encode(lines[i]);
        if (text != ours[i] && differing++ == 0)
            std::fprintf(stderr, "%s: first differing line\n ours:      %s\n rapidjson: %s\n", name,
                         ours[i].left(400).constData(), text.left(400).constData());
    }
    if (differing && kind == Points::OneDecimal)
        mismatch("RapidJSON's line writer on one-decimal points");
    candidates.push_back(
        {"rapidjson", [&] { encodeAll([&](const Line &l) { return writer.encode(l); }); }});
    race(fields, repeat, candidates);
    fields.append({"rapidjson_differing_lines", differing});
    fields.append({"repeat", repeat});
    fields.append({"loadavg_1m", loadAverage()});
    printJsonFields(fields);
}

void roomFrameScenario(int members, int repeat)
{
    protocol::Room room;
    room.uuid = protocol::newUuid();
    room.name = QStringLiteral("Big room");
    room.color = QStringLiteral("#4fadff");
    room.sum = 123456;
    room.created = QDateTime::currentDateTimeUtc();
    QList<protocol::User> users;
    QList<QByteArray> cached; // Session::userJson
    for (int i = 0; i < members; ++i) {
        const protocol::User u{protocol::newUuid(), QStringLiteral("user %1").arg(i), room.uuid};
        users.append(u);
        cached.append(QJsonDocument(u.toJson()).toJson(QJsonDocument::Compact));
    }
    constexpr int kFrames = 100; // per run: one frame is tens of microseconds
    const QByteArray ours = bench::spliceRoomFrame(room, cached);
    JsonFields fields{{"scenario", QLatin1String("room_frame")},
                      {"members", members},
                      {"bytes", double(ours.size())},
                      {"frames_per_run", kFrames}};
    auto frames = [](auto build) {
        return [build] {
            for (int i = 0; i < kFrames; ++i)
                build();
        };
    };
    std::vector<Candidate> candidates{
        {"splice", frames([&] { return bench::spliceRoomFrame(room, cached); })}};
    auto library = [&](const char *name, auto build) {
        if (build() != ours)
            mismatch(name);
        candidates.push_back({name, frames(build)});
    };
    library("rapidjson_raw", [&] { return bench::rapidjsonRoomFrame(room, cached); });
    library("rapidjson_uncached", [&] { return bench::rapidjsonRoomFrameUncached(room, users); });
    race(fields, repeat, candidates);
    fields.append({"repeat", repeat});
    fields.append({"loadavg_1m", loadAverage()});
    printJsonFields(fields);
}

void drawingFrameScenario(int count, int repeat)
{
    qint64 points = 0;
    const QByteArray joined = joinedLines(makeLines(count, Points::OneDecimal, &points));
    const QString roomUuid = protocol::newUuid(), clientId = QStringLiteral("c-1");
    const QByteArray ours = bench::spliceDrawingFrame(roomUuid, joined, clientId);
    constexpr int kFrames = 10;
    JsonFields fields{{"scenario", QLatin1String("drawing_frame")},
                      {"lines", count},
                      {"bytes", double(ours.size())},
                      {"frames_per_run", kFrames}};
    auto frames = [](auto build) {
        return [build] {
            for (int i = 0; i < kFrames; ++i)
                build();
        };
    };
    std::vector<Candidate> candidates{
        {"splice", frames([&] { return bench::spliceDrawingFrame(roomUuid, joined, clientId); })}};
    if (bench::rapidjsonDrawingFrame(roomUuid, joined, clientId) != ours)
        mismatch("RapidJSON's drawing_got frame");
    candidates.push_back({"rapidjson_raw", frames([&] {
                              return bench::rapidjsonDrawingFrame(roomUuid, joined, clientId);
                          })});
    race(fields, repeat, candidates);
    fields.append({"repeat", repeat});
    fields.append({"loadavg_1m", loadAverage()});
    printJsonFields(fields);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption linesOpt(QStringLiteral("lines"), QStringLiteral("Lines."),
                                      QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption repeatOpt(QStringLiteral("repeat"), QStringLiteral("Runs (median)."),
                                       QStringLiteral("R"), QStringLiteral("9"));
    const QCommandLineOption membersOpt(QStringLiteral("members"),
                                        QStringLiteral("Members of the room frame's room."),
                                        QStringLiteral("M"), QStringLiteral("1000"));
    parser.addOptions({linesOpt, repeatOpt, membersOpt});
    parser.process(app);
    const int count = std::max(1, parser.value(linesOpt).toInt());
    const int repeat = std::max(1, parser.value(repeatOpt).toInt());
    const int members = std::max(1, parser.value(membersOpt).toInt());

    printLibraries();
    for (const Points kind : {Points::OneDecimal, Points::Mixed, Points::Raw})
        decodeScenario(kind, count, repeat);
    for (const Points kind : {Points::OneDecimal, Points::Mixed, Points::Raw})
        encodeScenario(kind, count, repeat);
    roomFrameScenario(members, repeat);
    drawingFrameScenario(count, repeat);
    return 0;
}
