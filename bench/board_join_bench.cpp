// board_join_bench: a late joiner enters a room whose board holds 10 000 strokes, end to end.
// Prints JSON lines, {"scenario":"board_join", ...}: one per join, then a summary with the
// medians and a split of the client's work measured on the very drawing_got frame received.
//
// Setup: the strokes (random hand-like walks of 20..200 points, log-uniform, on the 640x480
// canvas, widths 2..20, 10 % erasers) are written into a SqliteStorage in a temporary
// directory; then the real chalkroom-server starts on that database (a separate process, as
// after a restart) and, per join, a fresh ChatClient + BoardModel + ChatBoardLink + BoardScene
// + BoardView (offscreen) connects and enters the room. Timestamps (ms after enter_room sent):
//   frame_ms    the drawing_got frame fully received (QWebSocket's last text frame): the
//               server's work and the transfer
//   got_ms      ChatClient::drawingGot emitted (its JSON parse and Line::fromJson done)
//   model_ms    BoardModel::setDrawing returned (model and scene filled)
//   complete_ms the scene shows every stroke (layer baked); paint_ms: the first complete
//               paint of the view (rendered into an image of the viewport's size) done.
//   sharp_ms    the layer is at the view's scale too (on a view larger than 800x600 a whole
//               drawing is first baked at 1.25 px/unit, then sharp; else equal to complete)
//   max_stall_ms the longest the event loop did not turn during the join.
// The split (each median of 3, on the received frame): utf8, decode_drawing_got (what
// ChatClient uses for big frames), and for comparison decode_envelope (QJsonDocument) +
// drawing_from_json (Line::fromJson); model_only, model_and_scene, bake, frame.
// Options: --strokes N (10000), --joins N (3), --seed N, --server PATH, --view WxH (800x600).
#include "board/board_model.h"
#include "board/chat_board_link.h"
#include "board_scene.h"
#include "board_storage.h"
#include "board_view.h"
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "protocol/codec.h"
#include "protocol/colors.h"
#include "protocol/drawing_json.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoroTask>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>
#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace chalk;

namespace {

void emitJson(const QJsonObject &o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

double msOf(qint64 ns)
{
    return std::round(double(ns) / 1e4) / 100; // 0.01 ms
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v[v.size() / 2];
}

// Strokes as people draw them: mostly short, some long, gently curving.
QList<protocol::Line> realisticLines(int count, quint32 seed, qint64 *points)
{
    QRandomGenerator rng(seed);
    const QStringList &palette = protocol::drawingPalette();
    const double widths[] = {2, 5, 5, 5, 10, 20};
    QList<protocol::Line> lines;
    lines.reserve(count);
    *points = 0;
    for (int i = 0; i < count; ++i) {
        protocol::Line l;
        l.uuid = protocol::newUuid();
        const bool eraser = rng.bounded(10) == 0;
        l.tool = eraser ? QStringLiteral("eraser") : QStringLiteral("pen");
        l.color = rng.bounded(3) == 0 ? QStringLiteral("#000000cc")
                                      : palette.at(rng.bounded(int(palette.size()))).toLower();
        l.width = eraser ? 20 : widths[rng.bounded(6)];
        const int n = int(std::round(20 * std::pow(10.0, rng.generateDouble()))); // 20..200
        double x = 20 + rng.bounded(600.0), y = 20 + rng.bounded(440.0);
        double heading = rng.bounded(2 * M_PI), turn = 0;
        const double step = 1.5 + rng.bounded(3.0);
        for (int k = 0; k < n; ++k) {
            turn = std::clamp(turn + (rng.generateDouble() - 0.5) * 0.08, -0.15, 0.15);
            heading += turn;
            x = std::clamp(x + step * std::cos(heading), 0.0, 640.0);
            y = std::clamp(y + step * std::sin(heading), 0.0, 480.0);
            l.points << std::round(x * 10) / 10 << std::round(y * 10) / 10;
        }
        *points += n;
        lines.append(l);
    }
    return lines;
}

struct JoinFigures {
    double frameMs = -1, gotMs = -1, modelMs = -1, completeMs = -1, paintMs = -1, sharpMs = -1;
    double maxStallMs = 0;
    int lines = 0;
    qint64 points = 0;
    int frameChars = 0;
    bool timedOut = false;
};

// One late joiner, as the app builds it.
struct Joiner {
    std::shared_ptr<client::MemorySettingsStore> store =
        std::make_shared<client::MemorySettingsStore>();
    client::ChatClient client{store};
    board::BoardModel model;
    board::ChatBoardLink link{&client, &model};
    ui::BoardScene scene{&model};
    ui::BoardView view{&scene};
};

bool sceneComplete(const Joiner &j, int expected)
{
    return j.model.lineCount() >= expected && j.scene.showsEverything();
}

JoinFigures join(const QUrl &url, const QString &room, int expected, QSize viewSize,
                 QString *capture)
{
    JoinFigures f;
    Joiner j;
    j.view.resize(viewSize);
    j.view.show();
    QCoreApplication::processEvents();

    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        f.timedOut = true;
        loop.quit();
    });
    deadline.start(120000);
    const auto ready =
        QObject::connect(&j.client, &client::ChatClient::ready, &loop, &QEventLoop::quit);
    j.client.connectToServer(url);
    loop.exec();
    QObject::disconnect(ready);
    if (f.timedOut)
        return f;

    QElapsedTimer clock;
    qint64 lastFrameNs = -1;
    QObject::connect(j.client.socket(), &QWebSocket::textFrameReceived, &loop,
                     [&](const QString &, bool last) {
                         if (!last || !clock.isValid())
                             return;
                         lastFrameNs = clock.nsecsElapsed();
                     });
    // The whole message (a big one comes in several frames), for the split below.
    QObject::connect(j.client.socket(), &QWebSocket::textMessageReceived, &loop,
                     [&](const QString &message) {
                         if (capture && message.size() > capture->size())
                             *capture = message; // shared, not copied
                     });
    // Connected before the link's own connection? No: the link connected first, so this runs
    // after BoardModel::setDrawing returned.
    QObject::connect(&j.client, &client::ChatClient::drawingGot, &loop,
                     [&](const protocol::Drawing &) {
                         f.modelMs = msOf(clock.nsecsElapsed());
                         f.frameMs = msOf(lastFrameNs);
                     });
    // Emitted before the link's handler runs: the parse is done, the model not yet filled.
    QObject::connect(&j.model, &board::BoardModel::loadingStarted, &loop,
                     [&] { f.gotMs = msOf(clock.nsecsElapsed()); });

    qint64 lastTurn = 0, maxGap = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.nsecsElapsed();
        maxGap = std::max(maxGap, now - lastTurn);
        lastTurn = now;
        if (f.modelMs >= 0 && f.completeMs < 0 && sceneComplete(j, expected)) {
            f.completeMs = msOf(clock.nsecsElapsed());
            QImage image(j.view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
            QPainter p(&image);
            p.setRenderHints(j.view.renderHints());
            j.view.render(&p, QRectF(image.rect()), j.view.viewport()->rect());
            p.end();
            f.paintMs = msOf(clock.nsecsElapsed());
        }
        if (f.completeMs >= 0 && j.scene.isSharp() && sceneComplete(j, expected)) {
            f.sharpMs = msOf(clock.nsecsElapsed());
            loop.quit();
        }
    });
    clock.start();
    ticker.start();
    j.client.enterRoom(room);
    loop.exec();
    f.maxStallMs = msOf(maxGap);
    f.lines = j.model.lineCount();
    for (const auto &l : j.model.lines())
        f.points += l.points.size() / 2;
    return f;
}

template <typename F> double timedMs(F &&fn, int reps = 3)
{
    QList<double> t;
    for (int i = 0; i < reps; ++i) {
        QElapsedTimer c;
        c.start();
        fn();
        t.append(msOf(c.nsecsElapsed()));
    }
    return median(t);
}

// The client's work on the received frame, phase by phase, outside the event loop.
QJsonObject split(const QString &text, QSize viewSize)
{
    QJsonObject o;
    QByteArray utf8;
    o.insert(QStringLiteral("utf8_ms"), timedMs([&] { utf8 = text.toUtf8(); }));
    std::optional<protocol::Envelope> env;
    o.insert(QStringLiteral("decode_envelope_ms"),
             timedMs([&] { env = protocol::decodeEnvelope(utf8); }));
    if (!env)
        return o;
    std::optional<protocol::DecodedDrawing> fast;
    o.insert(QStringLiteral("decode_drawing_got_ms"),
             timedMs([&] { fast = protocol::decodeDrawingGot(utf8); }));
    const QJsonObject object = env->payload.value(QLatin1String("object")).toObject();
    protocol::Drawing drawing;
    o.insert(QStringLiteral("drawing_from_json_ms"),
             timedMs([&] { drawing = protocol::Drawing::fromJson(object); }));
    o.insert(QStringLiteral("model_only_ms"), timedMs([&] {
                 board::BoardModel model;
                 model.setDrawing(drawing);
             }));
    QList<double> build, bake, frame;
    for (int i = 0; i < 3; ++i) {
        board::BoardModel model;
        ui::BoardScene scene(&model);
        ui::BoardView view(&scene);
        view.resize(viewSize);
        view.show();
        QCoreApplication::processEvents();
        QElapsedTimer c;
        c.start();
        model.setDrawing(drawing);
        build.append(msOf(c.nsecsElapsed()));
        c.restart();
        scene.bakeAllNow();
        bake.append(msOf(c.nsecsElapsed()));
        QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        c.restart();
        QPainter p(&image);
        p.setRenderHints(view.renderHints());
        view.render(&p, QRectF(image.rect()), view.viewport()->rect());
        p.end();
        frame.append(msOf(c.nsecsElapsed()));
    }
    o.insert(QStringLiteral("model_and_scene_ms"), median(build));
    o.insert(QStringLiteral("bake_ms"), median(bake));
    o.insert(QStringLiteral("frame_ms"), median(frame));
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("strokes"), QStringLiteral("strokes on the board"),
                      QStringLiteral("n"), QStringLiteral("10000")});
    parser.addOption({QStringLiteral("joins"), QStringLiteral("late joins measured"),
                      QStringLiteral("n"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("random seed"), QStringLiteral("n"),
                      QStringLiteral("20261123")});
    parser.addOption({QStringLiteral("server"), QStringLiteral("chalkroom-server binary"),
                      QStringLiteral("path"),
                      QCoreApplication::applicationDirPath() +
                          QStringLiteral("/../app/server/chalkroom-server")});
    // Passed on to the server when given. (Its default, 1 MiB, once cut a late joiner off
    // before a 10 MB drawing_got was written.)
    parser.addOption({QStringLiteral("max-pending-bytes"),
                      QStringLiteral("the server's --max-pending-bytes"), QStringLiteral("n")});
    parser.addOption({QStringLiteral("view"), QStringLiteral("view size WxH"),
                      QStringLiteral("size"), QStringLiteral("800x600")});
    parser.process(app);
    const int strokes = std::max(1, parser.value(QStringLiteral("strokes")).toInt());
    const int joins = std::max(1, parser.value(QStringLiteral("joins")).toInt());
    const QStringList wh = parser.value(QStringLiteral("view")).split(QLatin1Char('x'));
    const QSize viewSize(wh.value(0).toInt() > 0 ? wh.value(0).toInt() : 800,
                         wh.value(1).toInt() > 0 ? wh.value(1).toInt() : 600);

    QTemporaryDir dir;
    const QString dbPath = dir.filePath(QStringLiteral("board.db"));
    const QString room = protocol::newUuid();
    qint64 points = 0;
    const QList<protocol::Line> lines =
        realisticLines(strokes, parser.value(QStringLiteral("seed")).toUInt(), &points);
    QElapsedTimer fillClock;
    fillClock.start();
    if (!bench::fillBoardStorage(dbPath, room, lines)) {
        emitJson({{QStringLiteral("scenario"), QStringLiteral("board_join")},
                  {QStringLiteral("errors"), 1},
                  {QStringLiteral("error"), QStringLiteral("filling the storage failed")}});
        return 1;
    }
    const double fillMs = msOf(fillClock.nsecsElapsed());

    QProcess server;
    server.setProgram(parser.value(QStringLiteral("server")));
    QStringList serverArgs{QStringLiteral("--host"),    QStringLiteral("127.0.0.1"),
                           QStringLiteral("--port"),    QStringLiteral("0"),
                           QStringLiteral("--storage"), QStringLiteral("sqlite:") + dbPath};
    if (parser.isSet(QStringLiteral("max-pending-bytes")))
        serverArgs << QStringLiteral("--max-pending-bytes")
                   << parser.value(QStringLiteral("max-pending-bytes"));
    server.setArguments(serverArgs);
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start();
    QUrl url;
    QByteArray out;
    QElapsedTimer waitStart;
    waitStart.start();
    const QRegularExpression listening(QStringLiteral("listening on (wss?://\\S+)"));
    while (url.isEmpty() && waitStart.elapsed() < 30000 && server.state() != QProcess::NotRunning) {
        server.waitForReadyRead(100);
        out += server.readAllStandardOutput();
        const auto m = listening.match(QString::fromUtf8(out));
        if (m.hasMatch())
            url = QUrl(m.captured(1));
    }
    if (url.isEmpty()) {
        emitJson({{QStringLiteral("scenario"), QStringLiteral("board_join")},
                  {QStringLiteral("errors"), 1},
                  {QStringLiteral("error"), QStringLiteral("the server did not start")}});
        return 1;
    }

    QString frame;
    QList<double> frameMs, gotMs, modelMs, completeMs, paintMs, sharpMs, stallMs;
    int errors = 0, timedOut = 0;
    for (int i = 0; i < joins; ++i) {
        const JoinFigures f = join(url, room, strokes, viewSize, &frame);
        const bool ok = !f.timedOut && f.lines == strokes && f.points == points;
        errors += ok ? 0 : 1;
        timedOut += f.timedOut ? 1 : 0;
        emitJson({{QStringLiteral("scenario"), QStringLiteral("board_join")},
                  {QStringLiteral("join"), i},
                  {QStringLiteral("frame_ms"), f.frameMs},
                  {QStringLiteral("got_ms"), f.gotMs},
                  {QStringLiteral("model_ms"), f.modelMs},
                  {QStringLiteral("complete_ms"), f.completeMs},
                  {QStringLiteral("paint_ms"), f.paintMs},
                  {QStringLiteral("sharp_ms"), f.sharpMs},
                  {QStringLiteral("max_stall_ms"), f.maxStallMs},
                  {QStringLiteral("lines"), f.lines},
                  {QStringLiteral("points"), f.points},
                  {QStringLiteral("ok"), ok}});
        frameMs << f.frameMs;
        gotMs << f.gotMs;
        modelMs << f.modelMs;
        completeMs << f.completeMs;
        paintMs << f.paintMs;
        sharpMs << f.sharpMs;
        stallMs << f.maxStallMs;
    }
    server.terminate();
    server.waitForFinished(10000);

    QJsonObject summary{
        {QStringLiteral("scenario"), QStringLiteral("board_join")},
        {QStringLiteral("strokes"), strokes},
        {QStringLiteral("points"), points},
        {QStringLiteral("joins"), joins},
        {QStringLiteral("drawing_chars"), int(frame.size())},
        {QStringLiteral("fill_storage_ms"), fillMs},
        {QStringLiteral("view"),
         QStringLiteral("%1x%2").arg(viewSize.width()).arg(viewSize.height())},
        {QStringLiteral("frame_ms_median"), median(frameMs)},
        {QStringLiteral("got_ms_median"), median(gotMs)},
        {QStringLiteral("model_ms_median"), median(modelMs)},
        {QStringLiteral("complete_ms_median"), median(completeMs)},
        {QStringLiteral("paint_ms_median"), median(paintMs)},
        {QStringLiteral("max_stall_ms_max"), *std::max_element(stallMs.cbegin(), stallMs.cend())},
        {QStringLiteral("errors"), errors},
        {QStringLiteral("timed_out"), timedOut}};
    if (!frame.isEmpty())
        summary.insert(QStringLiteral("client_split"), split(frame, viewSize));
    emitJson(summary);
    return errors == 0 ? 0 : 1;
}
