// A lived-in window (rooms, a conversation, long names, markup, someone typing) grabbed in
// each of the eight themes: CHALK_SCREENSHOT_DIR/theme-1.png ... theme-8.png, for a person
// to look at. Also checks that each theme really changes what is painted.
#include "client/board/board_model.h"
#include "client/message_list_model.h"
#include "client/room_list_model.h"
#include "ui/board/board_widget.h"
#include "ui/header_bar.h"
#include "ui/message_input.h"
#include "ui/messages_pane.h"
#include "ui/rooms_pane.h"
#include "ui/theme_manager.h"
#include "ui_test_support.h"

#include <QCoroTask>
#include <QDir>
#include <QSet>
#include <QSlider>
#include <QTabWidget>
#include <QTest>

using namespace chalk;

namespace {
constexpr int kTimeout = 10000;

QString roomNamed(const client::RoomListModel *rooms, int row)
{
    return rooms->index(row).data(client::RoomListModel::UuidRole).toString();
}
} // namespace

class TestThemeScreenshots : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::prepareUiTestEnvironment();
        QVERIFY(m_parties.start(QSize(1200, 760), QSize(900, 600)));
        QVERIFY(m_a.client->changeUserName(QStringLiteral("Ada Lovelace")));
        QVERIFY(m_b.client->changeUserName(
            QStringLiteral("Bartholomew Featherstonehaugh-Cholmondeley the Third")));
        const QStringList names = {
            QStringLiteral("Design review"),
            QStringLiteral("A remarkably long room name that must be elided in lists!!"),
            QStringLiteral("<b>markup</b> & friends"), QStringLiteral("Lunch")};
        client::RoomListModel *rooms = m_a.window->roomModel();
        for (int i = 0; i < names.size(); ++i) {
            QVERIFY(m_a.client->createRoom());
            QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), i + 1, kTimeout);
            QVERIFY(m_a.client->changeRoomName(roomNamed(rooms, i), names[i]));
        }
        QTRY_COMPARE_WITH_TIMEOUT(rooms->index(3).data(client::RoomListModel::NameRole).toString(),
                                  names[3], kTimeout);
        const QString room = roomNamed(rooms, 0);
        QVERIFY(test::doubleClickRoom(m_a.window.get(), room));
        QVERIFY(m_b.client->enterRoom(room));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), room, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_a.client->currentRoomUuid(), room, kTimeout);
        const QList<std::pair<test::Party *, QString>> talk = {
            {&m_b, QStringLiteral("Morning! Did everyone see the new mock-ups?")},
            {&m_a, QStringLiteral("Yes, the colours in the header are much better now.")},
            {&m_b, QStringLiteral(
                       "<img src=x> shows as text, as it should. <a href=\"#\">not a link</a>")},
            {&m_a, QStringLiteral("A longer message to see the wrapping: the bubble should grow "
                                  "downwards and never wider than three quarters of the list, "
                                  "with the time and the ticks in the corner.")},
            {&m_b, QStringLiteral("👍 Shift+Enter\nmakes\nnew lines")},
            {&m_a, QStringLiteral("Great, let's ship it.")}};
        int expected = 0;
        for (const auto &[party, body] : talk) {
            QVERIFY(!party->client->sendMessage(body).isEmpty());
            ++expected;
            // Stored before the next one is written: the conversation keeps its order.
            QTRY_VERIFY_WITH_TIMEOUT(party->client->outbox()->isEmpty(), kTimeout);
            QTRY_COMPARE_WITH_TIMEOUT(m_a.window->messageModel()->rowCount(), expected, kTimeout);
        }
        // Someone else's room gets a message: an unread badge in A's list.
        QVERIFY(m_b.client->enterRoom(roomNamed(rooms, 3)));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), roomNamed(rooms, 3), kTimeout);
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("Pizza?")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            rooms->index(3).data(client::RoomListModel::UnreadRole).toInt() > 0, kTimeout);
        m_a.window->roomsPane()->selectRoom(roomNamed(rooms, 1));
        m_a.window->messagesPane()->input()->setPlainText(QStringLiteral("Typing a reply…"));
    }

    void screenshotOfEachTheme()
    {
        const QString dir = QStringLiteral(CHALK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        QSlider *slider = m_a.window->header()->themeSlider();
        QSet<QRgb> headerColors;
        for (int i = 0; i < ui::themes::kCount; ++i) {
            slider->setValue(i);
            QCOMPARE(ui::themes::current(), i);
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            const QImage shot = m_a.window->grab().toImage();
            QVERIFY(!shot.isNull());
            const QString path = QDir(dir).filePath(QStringLiteral("theme-%1.png").arg(i + 1));
            QVERIFY2(shot.save(path), qPrintable(path));
            qInfo("wrote %s", qPrintable(path));
            const QPoint inHeader = m_a.window->header()->mapTo(
                m_a.window.get(), QPoint(4, m_a.window->header()->height() / 2));
            headerColors.insert(shot.pixel(inHeader * shot.devicePixelRatio()));
        }
        QCOMPARE(headerColors.size(), ui::themes::kCount);
        // The Log tab too, in the last theme.
        m_a.window->leftTabs()->setCurrentIndex(0);
        QCoreApplication::processEvents();
        QVERIFY(m_a.window->grab().save(QDir(dir).filePath(QStringLiteral("log-tab.png"))));
        // The Drawing tab with a few strokes, an erasure and a thin line over it.
        auto *board = qobject_cast<ui::BoardWidget *>(m_a.window->drawingTab());
        QVERIFY(board);
        m_a.window->rightTabs()->setCurrentWidget(board);
        const auto stroke = [&](const QString &tool, const QString &color, double width,
                                QList<double> xy) {
            board->model()->beginStroke(tool, color, width);
            board->model()->extendStroke(xy);
            board->model()->endStroke();
        };
        stroke(QStringLiteral("pen"), QStringLiteral("#e02d25"), 10,
               {80, 80, 200, 160, 320, 90, 440, 200});
        stroke(QStringLiteral("pen"), QStringLiteral("#0167ca"), 20,
               {100, 380, 300, 260, 560, 400});
        stroke(QStringLiteral("eraser"), QStringLiteral("#ffffff"), 50, {250, 300, 330, 330});
        stroke(QStringLiteral("pen"), QStringLiteral("#000000cc"), 5, {60, 440, 600, 40});
        QTRY_VERIFY_WITH_TIMEOUT(board->model()->lineCount() >= 4, kTimeout);
        QTest::qWait(300);
        QVERIFY(m_a.window->grab().save(QDir(dir).filePath(QStringLiteral("drawing-tab.png"))));
    }

    void smallAndLargeInALightAndADarkTheme()
    {
        // What docs/screenshots keeps: 800x500 and 1920x1080, Silver (light) and Dusk (dark),
        // on the Messages tab; nothing may be cut so that it cannot be read at 800x500.
        const QString dir = QStringLiteral(CHALK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        m_a.window->leftTabs()->setCurrentIndex(1);
        m_a.window->rightTabs()->setCurrentWidget(m_a.window->messagesPane());
        const QString silver = ui::themes::name(0), dusk = ui::themes::name(1);
        QVERIFY(!ui::themes::isDark(0) && ui::themes::isDark(1));
        for (const QSize size : {QSize(800, 500), QSize(1920, 1080)}) {
            m_a.window->resize(size);
            for (int theme : {0, 1}) {
                m_a.window->header()->themeSlider()->setValue(theme);
                QCoreApplication::sendPostedEvents();
                QCoreApplication::processEvents();
                const QImage shot = m_a.window->grab().toImage();
                QCOMPARE(shot.size() / shot.devicePixelRatio(), size);
                const QString path =
                    QDir(dir).filePath(QStringLiteral("window-%1x%2-%3.png")
                                           .arg(size.width())
                                           .arg(size.height())
                                           .arg((theme ? dusk : silver).toLower()));
                QVERIFY2(shot.save(path), qPrintable(path));
                qInfo("wrote %s", qPrintable(path));
            }
        }
    }

    void cleanupTestCase() { m_parties.stop(); }

private:
    test::TwoParties m_parties;
    test::Party &m_a = m_parties.a;
    test::Party &m_b = m_parties.b;
};

QTEST_MAIN(TestThemeScreenshots)
#include "tst_theme_screenshots.moc"
