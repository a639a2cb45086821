// The Messages tab against a room with history: the newest page first, older pages when
// scrolled to the top with the reading position kept, following new messages only when at
// the bottom, own bubbles on the right.
#include "client/message_list_model.h"
#include "client/room_list_model.h"
#include "protocol/objects.h"
#include "server/storage/memory_storage.h"
#include "ui/message_input.h"
#include "ui/message_view.h"
#include "ui/messages_pane.h"
#include "ui_test_support.h"

#include <QCoroTask>
#include <QScrollBar>
#include <QTest>

using namespace chalk;
using client::MessageListModel;

namespace {
constexpr int kTimeout = 10000;
constexpr int kHistory = 130;

QString bodyAt(ui::MessageView *view, QPoint pos)
{
    const QModelIndex index = view->indexAt(pos);
    return index.isValid() ? index.data(MessageListModel::BodyRole).toString() : QString();
}
} // namespace

class TestMessageView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::prepareUiTestEnvironment();
        // History written straight into the storage before the server starts.
        auto storage = std::make_unique<server::MemoryStorage>();
        QVERIFY(QCoro::waitFor(storage->open()));
        protocol::Room room;
        room.uuid = protocol::newUuid();
        room.name = QStringLiteral("History");
        room.color = QStringLiteral("#3498db");
        room.created = QDateTime::currentDateTimeUtc().addDays(-1);
        QVERIFY(QCoro::waitFor(storage->createRoom(room)));
        protocol::User author{protocol::newUuid(), QStringLiteral("archivist"), room.uuid};
        for (int i = 0; i < kHistory; ++i) {
            protocol::Message m;
            m.uuid = protocol::newUuid();
            m.body = QStringLiteral("message %1").arg(i);
            if (i % 7 == 0) // some tall bubbles: variable heights must not break the anchor
                m.body += QStringLiteral("\nsecond line\nthird line of a longer message");
            m.user = author;
            m.roomUuid = room.uuid;
            m.created = room.created.addSecs(60 * i);
            QVERIFY(QCoro::waitFor(storage->addMessage(m)).has_value());
        }
        m_room = room.uuid;
        QVERIFY(m_parties.start(QSize(900, 600), QSize(900, 600), std::move(storage)));
    }

    void opensWithTheNewestPageAtTheBottom()
    {
        QTRY_COMPARE_WITH_TIMEOUT(m_a.window->roomModel()->rowCount(), 1, kTimeout);
        QVERIFY(test::doubleClickRoom(m_a.window.get(), m_room));
        MessageListModel *model = m_a.window->messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 50, kTimeout);
        QCOMPARE(model->rowCount(), 50); // one page, not the whole history
        ui::MessageView *view = m_a.window->messagesPane()->view();
        QTRY_VERIFY_WITH_TIMEOUT(view->verticalScrollBar()->maximum() > 0, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view->isAtBottom(), kTimeout);
        const QRect last = view->visualRect(view->model()->index(model->rowCount() - 1, 0));
        QVERIFY(view->viewport()->rect().intersects(last));
        QCOMPARE(model->index(model->rowCount() - 1).data(MessageListModel::BodyRole).toString(),
                 QStringLiteral("message %1").arg(kHistory - 1));
        QCOMPARE(view->olderPagesRequested(), 0); // being at the bottom fetches nothing
    }

    void scrollingToTheTopLoadsOlderAndKeepsThePosition()
    {
        ui::MessageView *view = m_a.window->messagesPane()->view();
        MessageListModel *model = m_a.window->messageModel();
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->minimum());
        const QPoint probe(view->viewport()->width() / 2, 30);
        const QString topBefore = QStringLiteral("message %1").arg(kHistory - 50);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 100, kTimeout);
        QCOMPARE(view->olderPagesRequested(), 1);
        // The message that was at the top is still at the top: the view did not jump.
        QTRY_VERIFY_WITH_TIMEOUT(bodyAt(view, probe).startsWith(topBefore), kTimeout);
        QVERIFY(view->verticalScrollBar()->value() > 0);

        view->verticalScrollBar()->setValue(0);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kHistory, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(!model->hasMore(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            bodyAt(view, probe).startsWith(QStringLiteral("message %1").arg(kHistory - 100)),
            kTimeout);
        const int requests = view->olderPagesRequested();
        view->verticalScrollBar()->setValue(0);
        QCoreApplication::processEvents();
        QCOMPARE(view->olderPagesRequested(), requests); // nothing older to ask for
        QCOMPARE(model->rowCount(), kHistory);
    }

    void followsNewMessagesOnlyAtTheBottom()
    {
        ui::MessageView *view = m_a.window->messagesPane()->view();
        MessageListModel *model = m_a.window->messageModel();
        QScrollBar *bar = view->verticalScrollBar();
        bar->setValue(bar->maximum());
        QVERIFY(view->isAtBottom());
        QVERIFY(m_b.client->enterRoom(m_room));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), m_room, kTimeout);
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("live one\nwith two lines")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kHistory + 1, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view->isAtBottom(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            view->viewport()->rect().contains(view->visualRect(view->model()->index(kHistory, 0))),
            kTimeout);

        // Reading older messages: a new one must not pull the view away.
        bar->setValue(bar->maximum() / 2);
        const int reading = bar->value();
        const int maxBefore = bar->maximum();
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("live two")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kHistory + 2, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > maxBefore, kTimeout);
        QCOMPARE(bar->value(), reading);
    }

    void ownBubblesRightOthersLeft()
    {
        ui::MessageView *view = m_a.window->messagesPane()->view();
        MessageListModel *model = m_a.window->messageModel();
        ui::MessageInput *input = m_a.window->messagesPane()->input();
        input->setFocus();
        QTest::keyClicks(input, QStringLiteral("mine"));
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kHistory + 3, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view->isAtBottom(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(
            model->index(kHistory + 2).data(MessageListModel::StateRole).toInt(),
            int(client::DeliveryState::Stored), kTimeout);
        QCOMPARE(model->index(kHistory + 2).data(MessageListModel::BodyRole).toString(),
                 QStringLiteral("mine"));
        // Sample the painted pixels inside the bubbles' padding (no text there).
        auto sides = [&] {
            const QImage image = view->viewport()->grab().toImage();
            const qreal dpr = image.devicePixelRatio();
            auto pixel = [&](QPoint p) {
                return QColor(image.pixel((QPointF(p) * dpr).toPoint()));
            };
            const QRect own = view->visualRect(view->model()->index(kHistory + 2, 0));
            const QRect other = view->visualRect(view->model()->index(kHistory + 1, 0));
            if (!view->viewport()->rect().contains(own))
                return QStringLiteral("own row not visible");
            const int w = view->viewport()->width();
            if (pixel(QPoint(w - 16, own.center().y())) != view->ownBubbleColor())
                return QStringLiteral("own bubble not on the right");
            if (pixel(QPoint(16, own.center().y())) == view->ownBubbleColor())
                return QStringLiteral("own bubble reaches the left");
            if (pixel(QPoint(16, other.center().y())) != view->otherBubbleColor())
                return QStringLiteral("other bubble not on the left");
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(sides(), QString(), kTimeout);
    }

    void cleanupTestCase() { m_parties.stop(); }

private:
    test::TwoParties m_parties;
    test::Party &m_a = m_parties.a;
    test::Party &m_b = m_parties.b;
    QString m_room;
};

QTEST_MAIN(TestMessageView)
#include "tst_message_view.moc"
