// Reading the Messages tab (issue 12): day separators, a sender's messages grouped, the full
// date on hover, http(s) links that open (and nothing else that does), the "N new messages ↓"
// button, and the "unread" divider. Two real windows on a real server; the history is written
// into the storage with chosen dates first. The locale is German, so dates must come out in
// the locale's format.
#include "client/message_list_model.h"
#include "client/room_list_model.h"
#include "protocol/objects.h"
#include "server/storage/memory_storage.h"
#include "ui/message_delegate.h"
#include "ui/message_links.h"
#include "ui/message_view.h"
#include "ui/messages_pane.h"
#include "ui/theme_manager.h"
#include "ui_test_support.h"

#include <QCoroTask>
#include <QDesktopServices>
#include <QDir>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QTabWidget>
#include <QTest>
#include <QToolTip>

using namespace chalk;
using client::MessageListModel;

namespace {
constexpr int kTimeout = 10000;
constexpr int kBusyHistory = 45;

int rowOfBody(const MessageListModel *model, const QString &body)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row).data(MessageListModel::BodyRole).toString() == body)
            return row;
    }
    return -1;
}

// How many pixels of `rect` are within a small distance of `color` (antialiasing blends).
int pixelsNear(const QImage &image, QRect rect, const QColor &color)
{
    int n = 0;
    const qreal dpr = image.devicePixelRatio();
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QColor c(image.pixel((QPointF(x, y) * dpr).toPoint()));
            n += std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                     std::abs(c.blue() - color.blue()) <=
                 24;
        }
    }
    return n;
}
} // namespace

// Receives what QDesktopServices::openUrl hands to the handler of a scheme.
class UrlCatcher : public QObject {
    Q_OBJECT
public:
    QList<QUrl> opened;
public slots:
    void open(const QUrl &url) { opened.append(url); }
};

class TestMessageReading : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::prepareUiTestEnvironment();
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        auto storage = std::make_unique<server::MemoryStorage>();
        QVERIFY(QCoro::waitFor(storage->open()));
        const QDateTime longAgo(QDate(2024, 3, 5), QTime(12, 0));
        m_reading = addRoom(*storage, QStringLiteral("Reading"), longAgo.addDays(-1));
        m_busy = addRoom(*storage, QStringLiteral("Busy"), longAgo.addDays(-1));
        const protocol::User archivist{protocol::newUuid(), QStringLiteral("archivist"), m_reading};
        const protocol::User visitor{protocol::newUuid(), QStringLiteral("visitor"), m_reading};
        const QDateTime today =
            std::max(QDate::currentDate().startOfDay(), QDateTime::currentDateTime().addSecs(-60));
        const QList<std::tuple<QString, protocol::User, QDateTime>> history = {
            {QStringLiteral("old one"), archivist, longAgo},
            {QStringLiteral("old two"), archivist, longAgo.addSecs(120)},
            {QStringLiteral("old three"), archivist, longAgo.addSecs(30 * 60)},
            {QStringLiteral("yesterday one"), archivist,
             QDateTime(QDate::currentDate().addDays(-1), QTime(10, 0))},
            {QStringLiteral("today one"), archivist, today},
            {QStringLiteral("today two"), archivist, today.addSecs(20)},
            {QStringLiteral("today three"), visitor, today.addSecs(25)},
        };
        for (const auto &[body, user, created] : history)
            QVERIFY(addMessage(*storage, m_reading, body, user, created));
        const protocol::User chatter{protocol::newUuid(), QStringLiteral("chatter"), m_busy};
        for (int i = 0; i < kBusyHistory; ++i)
            QVERIFY(addMessage(*storage, m_busy, QStringLiteral("busy %1\nsecond line").arg(i),
                               chatter, longAgo.addSecs(600 * i)));
        QVERIFY(m_parties.start(QSize(900, 600), QSize(900, 600), std::move(storage)));
        QVERIFY(m_catcher.opened.isEmpty());
        for (const char *scheme : {"http", "https", "javascript"})
            QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), &m_catcher, "open");
    }

    void findsOnlyHttpLinks()
    {
        const QString text = QStringLiteral(
            "<a href=\"https://evil.example\">x</a> javascript:alert(1) ftp://f.example "
            "www.example.org xhttps://no.example (see https://en.wikipedia.org/wiki/Qt_(software)) "
            "HTTPS://Example.org/a?b=1&c=2, and http://example.org/end. https://");
        const QList<ui::MessageLink> links = ui::findLinks(text);
        QStringList urls;
        for (const ui::MessageLink &l : links)
            urls << l.url.toString();
        // The href inside the markup is followed by a quote: only the address itself counts.
        QCOMPARE(urls, (QStringList{QStringLiteral("https://evil.example"),
                                    QStringLiteral("https://en.wikipedia.org/wiki/Qt_(software)"),
                                    QStringLiteral("https://example.org/a?b=1&c=2"),
                                    QStringLiteral("http://example.org/end")}));
        QCOMPARE(text.mid(links[1].start, links[1].length),
                 QStringLiteral("https://en.wikipedia.org/wiki/Qt_(software)"));
        QVERIFY(ui::findLinks(QStringLiteral("https://a.example ").repeated(100)).size() ==
                ui::kMaxLinks);
    }

    void daySeparatorsInTheLocalesFormat()
    {
        QTRY_COMPARE_WITH_TIMEOUT(m_a.window->roomModel()->rowCount(), 2, kTimeout);
        QVERIFY(test::doubleClickRoom(m_a.window.get(), m_reading));
        MessageListModel *model = m_a.window->messageModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 7, kTimeout);
        ui::MessageView *view = m_a.window->messagesPane()->view();
        ui::MessageDelegate *delegate = view->messageDelegate();
        QStringList headers;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = view->model()->index(row, 0);
            if (delegate->decorations(index).dayHeader)
                headers << QStringLiteral("%1:%2").arg(row).arg(ui::MessageDelegate::dayLabel(
                    index.data(MessageListModel::CreatedRole).toDateTime().toLocalTime().date()));
        }
        QCOMPARE(headers, (QStringList{QStringLiteral("0:Dienstag, 5. März 2024"),
                                       QStringLiteral("3:Yesterday"), QStringLiteral("4:Today")}));
        // The separator takes room above the bubble: rows with one are taller by it.
        QTRY_VERIFY_WITH_TIMEOUT(view->visualRect(view->model()->index(3, 0)).height() >
                                     view->visualRect(view->model()->index(2, 0)).height() + 10,
                                 kTimeout);
        QCOMPARE(view->bubbleRect(3).height(), view->bubbleRect(2).height());
    }

    void aSendersMessagesAreGrouped()
    {
        ui::MessageView *view = m_a.window->messagesPane()->view();
        ui::MessageDelegate *delegate = view->messageDelegate();
        QList<bool> grouped;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            grouped << delegate->decorations(view->model()->index(row, 0)).grouped;
        // "old two" two minutes after "old one"; "old three" half an hour later; a new day;
        // "today two" 20 s after "today one"; "today three" is another sender.
        QCOMPARE(grouped, (QList<bool>{false, true, false, false, false, true, false}));
        // The name is painted once per group: a grouped bubble has no name line.
        QVERIFY(view->bubbleRect(1).height() < view->bubbleRect(0).height());
        QCOMPARE(view->bubbleRect(2).height(), view->bubbleRect(0).height());
        QVERIFY(view->bubbleRect(5).height() < view->bubbleRect(4).height());
        // And the gap between the two bubbles of a group is small.
        QVERIFY(view->bubbleRect(1).top() - view->bubbleRect(0).bottom() <
                view->bubbleRect(2).top() - view->bubbleRect(1).bottom());
    }

    void theFullDateOnHover()
    {
        activate(m_a);
        ui::MessageView *view = m_a.window->messagesPane()->view();
        view->scrollTo(view->model()->index(0, 0), QAbstractItemView::PositionAtTop);
        QTRY_VERIFY_WITH_TIMEOUT(view->viewport()->rect().contains(view->bubbleRect(0).center()),
                                 kTimeout);
        const QRect bubble = view->bubbleRect(0);
        QHelpEvent event(QEvent::ToolTip, bubble.center(),
                         view->viewport()->mapToGlobal(bubble.center()));
        QApplication::sendEvent(view->viewport(), &event);
        const QDateTime created = view->model()
                                      ->index(0, 0)
                                      .data(MessageListModel::CreatedRole)
                                      .toDateTime()
                                      .toLocalTime();
        QTRY_COMPARE_WITH_TIMEOUT(QToolTip::text(),
                                  QLocale().toString(created, QLocale::LongFormat), kTimeout);
        QVERIFY2(QToolTip::text().contains(QStringLiteral("5. März 2024")) &&
                     QToolTip::text().contains(QStringLiteral("12:00:00")),
                 qPrintable(QToolTip::text()));
        QToolTip::hideText();
    }

    void httpLinksOpenAndNothingElseIsALink()
    {
        activate(m_a);
        QVERIFY(m_b.client->enterRoom(m_reading));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), m_reading, kTimeout);
        const QString body =
            QStringLiteral("<b>bold</b> javascript:alert(1) see https://example.org/path?q=1.");
        m_a.window->messagesPane()->view()->followBottom(); // the hover test scrolled up
        QVERIFY(!m_b.client->sendMessage(body).isEmpty());
        MessageListModel *model = m_a.window->messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(model, body) >= 0, kTimeout);
        const int row = rowOfBody(model, body);
        ui::MessageView *view = m_a.window->messagesPane()->view();
        QTRY_VERIFY_WITH_TIMEOUT(view->isAtBottom(), kTimeout);
        const QModelIndex index = view->model()->index(row, 0);
        QCOMPARE(ui::MessageDelegate::displayText(index), body); // the characters, as text

        auto centreOf = [&](const QString &part, int length) {
            return view->textRect(row, int(body.indexOf(part)), length).center();
        };
        QWidget *viewport = view->viewport();
        QTRY_VERIFY_WITH_TIMEOUT(viewport->rect().contains(centreOf(QStringLiteral("https"), 5)),
                                 kTimeout);
        // Not links: the markup, and "javascript:".
        for (const QString &part : {QStringLiteral("<b>"), QStringLiteral("javascript")}) {
            const QPoint at = centreOf(part, 3);
            QVERIFY(!view->linkAt(at).isValid());
            QTest::mouseClick(viewport, Qt::LeftButton, {}, at);
        }
        QCoreApplication::processEvents();
        QVERIFY(m_catcher.opened.isEmpty());

        const QPoint link = centreOf(QStringLiteral("example.org"), 7);
        hover(viewport, link);
        QTRY_COMPARE_WITH_TIMEOUT(viewport->cursor().shape(), Qt::PointingHandCursor, kTimeout);
        QTest::mouseClick(viewport, Qt::LeftButton, {}, link);
        QTRY_COMPARE_WITH_TIMEOUT(m_catcher.opened.size(), 1, kTimeout);
        QCOMPARE(m_catcher.opened.first(), QUrl(QStringLiteral("https://example.org/path?q=1")));
        hover(viewport, centreOf(QStringLiteral("<b>"), 3));
        QTRY_VERIFY_WITH_TIMEOUT(viewport->cursor().shape() != Qt::PointingHandCursor, kTimeout);
    }

    void newMessagesButtonWhenScrolledUp()
    {
        activate(m_a);
        QVERIFY(test::doubleClickRoom(m_a.window.get(), m_busy));
        MessageListModel *model = m_a.window->messageModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kBusyHistory, kTimeout);
        QVERIFY(m_b.client->enterRoom(m_busy));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), m_busy, kTimeout);
        ui::MessageView *view = m_a.window->messagesPane()->view();
        QPushButton *button = view->newMessagesButton();
        QScrollBar *bar = view->verticalScrollBar();
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0 && view->isAtBottom(), kTimeout);

        // At the bottom a new message is followed: no button.
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("followed")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kBusyHistory + 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view->isAtBottom(), kTimeout);
        QVERIFY(!button->isVisible());

        bar->setValue(bar->maximum() / 2);
        const int reading = bar->value();
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("below one")).isEmpty());
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("below two")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kBusyHistory + 3, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(button->isVisible(), kTimeout);
        QCOMPARE(button->text(), QStringLiteral("2 new messages ↓"));
        QCOMPARE(bar->value(), reading); // the reader was not pulled away
        QVERIFY(view->viewport()->geometry().contains(button->geometry().center()));

        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->isAtBottom(), kTimeout);
        QVERIFY(!button->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(view->viewport()->rect().intersects(
                                     view->visualRect(view->model()->index(kBusyHistory + 2, 0))),
                                 kTimeout);
    }

    void unreadDividerAboveWhatCameWhileAway()
    {
        activate(m_a);
        ui::MessageView *view = m_a.window->messagesPane()->view();
        MessageListModel *model = m_a.window->messageModel();
        QTabWidget *tabs = m_a.window->rightTabs();
        tabs->setCurrentWidget(m_a.window->messagesPane());
        QTRY_VERIFY_WITH_TIMEOUT(view->isInView(), kTimeout);
        QVERIFY(view->unreadAnchor().isEmpty()); // everything so far came in view

        // Away on the Drawing tab: two messages come.
        tabs->setCurrentWidget(m_a.window->drawingTab());
        QVERIFY(!view->isInView());
        const int before = model->rowCount();
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("missed one")).isEmpty());
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("missed two")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), before + 2, kTimeout);
        tabs->setCurrentWidget(m_a.window->messagesPane());
        QVERIFY(view->isInView());
        const int missed = rowOfBody(model, QStringLiteral("missed one"));
        QCOMPARE(view->unreadAnchor(),
                 model->index(missed).data(MessageListModel::UuidRole).toString());
        QVERIFY(
            view->messageDelegate()->decorations(view->model()->index(missed, 0)).unreadDivider);
        // Painted: an accent-coloured rule between the row's top and its bubble.
        auto dividerPixels = [&] {
            const QRect rowRect = view->visualRect(view->model()->index(missed, 0));
            const QRect bubble = view->bubbleRect(missed);
            const QRect band(rowRect.left(), rowRect.top(), rowRect.width() / 2,
                             bubble.top() - rowRect.top());
            if (!view->viewport()->rect().contains(band))
                return -1;
            return pixelsNear(view->viewport()->grab().toImage(), band, view->accentColor());
        };
        QTRY_VERIFY2_WITH_TIMEOUT(dividerPixels() > 50,
                                  qPrintable(QString::number(dividerPixels())), kTimeout);
        QCOMPARE(pixelsNear(view->viewport()->grab().toImage(),
                            QRect(0, view->bubbleRect(missed + 1).top() - 6,
                                  view->viewport()->width() / 2, 6),
                            view->accentColor()),
                 0); // no divider above the second one

        // Seen now: a message in view leaves the divider where it is.
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("seen live")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(model, QStringLiteral("seen live")) >= 0, kTimeout);
        QCOMPARE(view->unreadRow(), missed);

        // Away again: one's own message is never unread; the next from someone else is.
        tabs->setCurrentWidget(m_a.window->drawingTab());
        QVERIFY(!m_a.client->sendMessage(QStringLiteral("my own")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const int r = rowOfBody(model, QStringLiteral("my own"));
                return r >= 0 && model->index(r).data(MessageListModel::StateRole).toInt() ==
                                     int(client::DeliveryState::Stored);
            }(),
            kTimeout);
        QCOMPARE(view->unreadRow(), missed);
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("missed three")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(model, QStringLiteral("missed three")) >= 0, kTimeout);
        QCOMPARE(view->unreadRow(), rowOfBody(model, QStringLiteral("missed three")));
        tabs->setCurrentWidget(m_a.window->messagesPane());
    }

    void unreadDividerOnEnteringARoomWithUnread()
    {
        // B writes three messages in Reading while A is in Busy: A's room list counts them.
        QVERIFY(m_b.client->enterRoom(m_reading));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), m_reading, kTimeout);
        for (const char *body : {"while you were away 1", "while you were away 2", "3"})
            QVERIFY(!m_b.client->sendMessage(QString::fromLatin1(body)).isEmpty());
        client::RoomListModel *rooms = m_a.window->roomModel();
        QTRY_COMPARE_WITH_TIMEOUT(
            rooms->index(rooms->indexOf(m_reading)).data(client::RoomListModel::UnreadRole).toInt(),
            3, kTimeout);
        activate(m_a);
        QVERIFY(test::doubleClickRoom(m_a.window.get(), m_reading));
        MessageListModel *model = m_a.window->messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(model, QStringLiteral("3")) >= 0, kTimeout);
        ui::MessageView *view = m_a.window->messagesPane()->view();
        QTRY_COMPARE_WITH_TIMEOUT(
            view->unreadRow(), rowOfBody(model, QStringLiteral("while you were away 1")), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view->viewport()->rect().contains(view->bubbleRect(
                                     rowOfBody(model, QStringLiteral("while you were away 1")))),
                                 kTimeout);
    }

    // For a person to look at: the divider, separators, groups, a link and the button, in
    // the first theme (light) and Dusk (dark): CHALK_SCREENSHOT_DIR/reading-theme-N.png.
    void screenshotsLightAndDark()
    {
        ui::MessageView *view = m_a.window->messagesPane()->view();
        view->followBottom();
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("one more")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(view->isAtBottom(), kTimeout);
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() - 120);
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("and another")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(view->newMessagesButton()->isVisible(), kTimeout);
        const QString dir = QStringLiteral(CHALK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        QSet<QRgb> listColors;
        for (int theme : {0, 1}) {
            ui::themes::apply(theme);
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            const QImage shot = m_a.window->grab().toImage();
            const QString path =
                QDir(dir).filePath(QStringLiteral("reading-theme-%1.png").arg(theme + 1));
            QVERIFY2(shot.save(path), qPrintable(path));
            qInfo("wrote %s", qPrintable(path));
            listColors.insert(view->viewport()->grab().toImage().pixel(2, 2));
        }
        QCOMPARE(listColors.size(), 2); // the theme reached the list
        ui::themes::apply(0);
    }

    void cleanupTestCase()
    {
        for (const char *scheme : {"http", "https", "javascript"})
            QDesktopServices::unsetUrlHandler(QString::fromLatin1(scheme));
        m_parties.stop();
    }

private:
    static QString addRoom(server::Storage &storage, const QString &name, const QDateTime &created)
    {
        protocol::Room room;
        room.uuid = protocol::newUuid();
        room.name = name;
        room.color = QStringLiteral("#3498db");
        room.created = created;
        return QCoro::waitFor(storage.createRoom(room)) ? room.uuid : QString();
    }

    static bool addMessage(server::Storage &storage, const QString &room, const QString &body,
                           const protocol::User &user, const QDateTime &created)
    {
        protocol::Message m;
        m.uuid = protocol::newUuid();
        m.body = body;
        m.user = user;
        m.roomUuid = room;
        m.created = created.toUTC();
        return QCoro::waitFor(storage.addMessage(m)).has_value();
    }

    // A mouse move straight to the widget (under X, QTest::mouseMove moves the real pointer
    // and the event comes later, or not at all).
    static void hover(QWidget *widget, QPoint pos)
    {
        QMouseEvent move(QEvent::MouseMove, QPointF(pos), widget->mapToGlobal(QPointF(pos)),
                         Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(widget, &move);
    }

    static void activate(test::Party &party)
    {
        party.window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(party.window.get()));
    }

    test::TwoParties m_parties;
    test::Party &m_a = m_parties.a;
    test::Party &m_b = m_parties.b;
    QString m_reading;
    QString m_busy;
    UrlCatcher m_catcher;
};

QTEST_MAIN(TestMessageReading)
#include "tst_message_reading.moc"
