// message_view_bench: the Messages tab's list with 100 000 messages (offscreen). Prints one
// JSON line: time to lay out the list, cost of one scroll frame (paint of the visible
// bubbles) across the whole history, cost of prepending one more page at that size, and the
// process's resident memory at each step. Numbers, never assertions (docs/PERFORMANCE.md).
#include "client/message_list_model.h"
#include "protocol/objects.h"
#include "ui/message_delegate.h"
#include "ui/message_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPixmap>
#include <QScrollBar>
#include <algorithm>
#include <cstdio>

using namespace chalk;

namespace {
double rssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

QList<protocol::Message> makeMessages(const QString &room, int count, int offset)
{
    static const QStringList bodies = {
        QStringLiteral("ok"),
        QStringLiteral("Did everyone see the new mock-ups? The header looks much better now."),
        QStringLiteral("A longer message that wraps over a few lines in a normal window: it has "
                       "to be measured and laid out as plain text, with the time and the ticks "
                       "in the corner of its bubble, and it must stay cheap to paint."),
        QStringLiteral("two\nlines"), QStringLiteral("<img src=x> stays text")};
    const protocol::User alice{protocol::newUuid(), QStringLiteral("alice"), room};
    const protocol::User bob{protocol::newUuid(), QStringLiteral("bob with a longer name"), room};
    QList<protocol::Message> out;
    out.reserve(count);
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-30);
    for (int i = 0; i < count; ++i) {
        protocol::Message m;
        m.uuid = protocol::newUuid();
        m.body = bodies[(i + offset) % bodies.size()];
        m.user = (i % 3) ? alice : bob;
        m.roomUuid = room;
        m.created = start.addSecs(offset + i);
        out.append(m);
    }
    return out;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}
} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? std::max(1000, atoi(argv[1])) : 100000;
    const QString room = protocol::newUuid();
    const double rssStart = rssMb();

    client::MessageListModel model;
    model.setRoom(room);
    ui::MessageView view;
    view.setMessageModel(&model);
    view.resize(900, 700);
    view.show();
    QCoreApplication::processEvents();

    // Older history first: everything but the newest page, then the newest page on top.
    QList<protocol::Message> all = makeMessages(room, count + 50, 0);
    const QList<protocol::Message> older = all.mid(0, 50);
    all = all.mid(50);
    QElapsedTimer timer;
    timer.start();
    model.addPage(all, true, QString());
    const double fillMs = double(timer.nsecsElapsed()) / 1e6;
    const double rssModel = rssMb();

    timer.restart();
    view.doItemsLayout();
    QCoreApplication::processEvents();
    const double layoutMs = double(timer.nsecsElapsed()) / 1e6;
    const double rssLayout = rssMb();

    // Scroll frames over the whole history: jump, paint what is visible.
    QScrollBar *bar = view.verticalScrollBar();
    QPixmap frame(view.viewport()->size());
    std::vector<double> frames;
    const int steps = 400;
    for (int i = 0; i <= steps; ++i) {
        bar->setValue(int(qint64(bar->maximum()) * i / steps));
        timer.restart();
        view.viewport()->render(&frame);
        frames.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    // Small steps at the top, as a wheel would do.
    bar->setValue(bar->maximum() / 2);
    std::vector<double> wheel;
    for (int i = 0; i < 200; ++i) {
        bar->setValue(bar->value() + 40);
        timer.restart();
        view.viewport()->render(&frame);
        wheel.push_back(double(timer.nsecsElapsed()) / 1e6);
    }

    // One more older page at this size (what scrolling to the top costs in the end).
    const qint64 layoutsBefore = view.messageDelegate()->layoutsComputed();
    timer.restart();
    model.addPage(older, false, all.first().uuid);
    const double prependModelMs = double(timer.nsecsElapsed()) / 1e6;
    view.doItemsLayout();
    QCoreApplication::processEvents();
    const double prependMs = double(timer.nsecsElapsed()) / 1e6;
    const qint64 prependLayouts = view.messageDelegate()->layoutsComputed() - layoutsBefore;

    QJsonObject out{{QStringLiteral("bench"), QStringLiteral("message_view")},
                    {QStringLiteral("messages"), model.rowCount()},
                    {QStringLiteral("viewport"), QStringLiteral("900x700 offscreen")},
                    {QStringLiteral("model_fill_ms"), fillMs},
                    {QStringLiteral("layout_ms"), layoutMs},
                    {QStringLiteral("jump_frame_ms_median"), percentile(frames, 0.5)},
                    {QStringLiteral("jump_frame_ms_p95"), percentile(frames, 0.95)},
                    {QStringLiteral("wheel_frame_ms_median"), percentile(wheel, 0.5)},
                    {QStringLiteral("wheel_frame_ms_p95"), percentile(wheel, 0.95)},
                    {QStringLiteral("prepend_page_ms"), prependMs},
                    {QStringLiteral("prepend_model_ms"), prependModelMs},
                    {QStringLiteral("prepend_text_layouts"), double(prependLayouts)},
                    {QStringLiteral("cached_sizes"), view.messageDelegate()->cachedSizes()},
                    {QStringLiteral("rss_mb_start"), rssStart},
                    {QStringLiteral("rss_mb_after_model"), rssModel},
                    {QStringLiteral("rss_mb_after_layout"), rssLayout},
                    {QStringLiteral("rss_mb_end"), rssMb()}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}
