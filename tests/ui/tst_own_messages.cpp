// Own messages in the real window (two parties on a real server): the context menu offers
// Reply, Edit and Delete for one's own message and Reply alone for another's; Up in the empty
// editor edits one's last message ("Editing message — Esc to cancel"; Enter saves, Escape gives
// the draft back); Delete asks first; a reply shows its quote in a bar with an × and then above
// the message. Screenshots (Silver and Dusk) go to CHALK_SCREENSHOT_DIR/own-messages-N.png.
#include "client/message_list_model.h"
#include "ui/compose_bar.h"
#include "ui/elided_label.h"
#include "ui/message_delegate.h"
#include "ui/message_input.h"
#include "ui/message_view.h"
#include "ui/messages_pane.h"
#include "ui/theme_manager.h"
#include "ui_test_support.h"

#include <QAbstractButton>
#include <QDir>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <memory>

using namespace chalk;
using client::MessageListModel;
using Model = client::MessageListModel;

namespace {
constexpr int kTimeout = 10000;

int rowOfBody(const MessageListModel *model, const QString &body)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row).data(Model::BodyRole).toString() == body)
            return row;
    return -1;
}

QStringList actionNames(QMenu *menu)
{
    QStringList names;
    for (QAction *a : menu->actions())
        if (!a->objectName().isEmpty())
            names << a->objectName();
    return names;
}

QAction *action(QMenu *menu, const QString &name)
{
    for (QAction *a : menu->actions())
        if (a->objectName() == name)
            return a;
    return nullptr;
}
} // namespace

class TestOwnMessages : public QObject {
    Q_OBJECT
    test::TwoParties m_parties;
    test::Party &m_a = m_parties.a;
    test::Party &m_b = m_parties.b;

    ui::MessagesPane *pane() const { return m_a.window->messagesPane(); }
    MessageListModel *modelA() const { return pane()->view()->messageModel(); }
    MessageListModel *modelB() const { return m_b.window->messagesPane()->view()->messageModel(); }
    // The context menu of the row showing `body` in a's window.
    std::unique_ptr<QMenu> menuOf(const QString &body)
    {
        const int row = rowOfBody(modelA(), body);
        if (row < 0)
            return nullptr;
        ui::MessageView *view = pane()->view();
        return std::unique_ptr<QMenu>(view->messageMenu(view->model()->index(row, 0)));
    }
    bool typeAndSend(const QString &text)
    {
        ui::MessageInput *input = pane()->input();
        input->setFocus();
        QTest::keyClicks(input, text);
        QTest::keyClick(input, Qt::Key_Return);
        return input->toPlainText().isEmpty();
    }

private slots:
    void initTestCase()
    {
        test::prepareUiTestEnvironment();
        QVERIFY(m_parties.start(QSize(900, 640), QSize(900, 640)));
        QSignalSpy named(m_b.client.get(), &client::ChatClient::userChanged);
        QVERIFY(m_a.client->changeUserName(QStringLiteral("Ann")));
        QVERIFY(m_b.client->changeUserName(QStringLiteral("Bob")));
        QVERIFY(named.wait(kTimeout));
        QTRY_COMPARE_WITH_TIMEOUT(m_a.client->user().name, QStringLiteral("Ann"), kTimeout);
        QSignalSpy created(m_a.client.get(), &client::ChatClient::roomCreated);
        QVERIFY(m_a.client->createRoom(QStringLiteral("Own messages")));
        QVERIFY(created.wait(kTimeout));
        const QString room = created.first().first().value<protocol::Room>().uuid;
        QVERIFY(test::doubleClickRoom(m_a.window.get(), room));
        QVERIFY(test::doubleClickRoom(m_b.window.get(), room));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), room, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_a.client->currentRoomUuid(), room, kTimeout);
        QVERIFY(typeAndSend(QStringLiteral("Lunch at noon?")));
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("Noon works. The usual place?")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            rowOfBody(modelA(), QStringLiteral("Noon works. The usual place?")) >= 0, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(modelB(), QStringLiteral("Lunch at noon?")) >= 0,
                                 kTimeout);
    }

    void theMenuOffersWhatOneMayDo()
    {
        const auto own = menuOf(QStringLiteral("Lunch at noon?"));
        QVERIFY(own);
        QCOMPARE(actionNames(own.get()),
                 (QStringList{"ReplyAction", "EditAction", "DeleteAction"}));
        const auto other = menuOf(QStringLiteral("Noon works. The usual place?"));
        QVERIFY(other);
        QCOMPARE(actionNames(other.get()), QStringList{"ReplyAction"});
    }

    void upEditsTheLastOwnMessageAndEscapeCancels()
    {
        ui::MessageInput *input = pane()->input();
        ui::ComposeBar *bar = pane()->composeBar();
        // The newest message is Bob's: Up passes over it to Ann's own.
        QVERIFY(!m_b.client->sendMessage(QStringLiteral("Or Friday?")).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(
            modelA()->index(modelA()->rowCount() - 1).data(Model::BodyRole).toString(),
            QStringLiteral("Or Friday?"), kTimeout);
        input->setFocus();
        QTest::keyClicks(input, QStringLiteral("draft"));
        QTest::keyClick(input, Qt::Key_Up); // not empty: an ordinary cursor key
        QCOMPARE(bar->mode(), ui::ComposeBar::Mode::None);
        input->clear();
        QTest::keyClick(input, Qt::Key_Up);
        QCOMPARE(bar->mode(), ui::ComposeBar::Mode::Edit);
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->titleLabel()->fullText(),
                 QStringLiteral("Editing message \u2014 Esc to cancel"));
        QCOMPARE(input->toPlainText(), QStringLiteral("Lunch at noon?"));
        QTest::keyClick(input, Qt::Key_Escape);
        QCOMPARE(bar->mode(), ui::ComposeBar::Mode::None);
        QVERIFY(!bar->isVisible());
        QCOMPARE(input->toPlainText(), QString()); // what was there before the edit

        QTest::keyClick(input, Qt::Key_Up);
        QTest::keyClick(input, Qt::Key_Backspace);
        QTest::keyClicks(input, QStringLiteral(" or one?"));
        QTest::keyClick(input, Qt::Key_Return);
        QCOMPARE(bar->mode(), ui::ComposeBar::Mode::None);
        QCOMPARE(input->toPlainText(), QString());
        const QString edited = QStringLiteral("Lunch at noon or one?");
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(modelB(), edited) >= 0, kTimeout);
        const QModelIndex seen = modelB()->index(rowOfBody(modelB(), edited));
        QVERIFY(seen.data(Model::EditedRole).toBool());
        QVERIFY(ui::MessageDelegate::footerText(seen).startsWith(QStringLiteral("(edited) ")));
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(modelA(), edited) >= 0, kTimeout);
        QCOMPARE(modelA()->rowCount(), 3); // in place
    }

    void aReplyShowsItsQuoteInTheBarThenAboveTheMessage()
    {
        ui::ComposeBar *bar = pane()->composeBar();
        auto menu = menuOf(QStringLiteral("Noon works. The usual place?"));
        QVERIFY(menu);
        action(menu.get(), "ReplyAction")->trigger();
        QCOMPARE(bar->mode(), ui::ComposeBar::Mode::Reply);
        QCOMPARE(bar->titleLabel()->fullText(),
                 QStringLiteral("Replying to %1").arg(m_b.client->user().name));
        QCOMPARE(bar->quoteLabel()->fullText(), QStringLiteral("Noon works. The usual place?"));
        QTest::mouseClick(bar->cancelButton(), Qt::LeftButton);
        QVERIFY(!bar->isVisible());

        menu = menuOf(QStringLiteral("Noon works. The usual place?"));
        action(menu.get(), "ReplyAction")->trigger();
        QVERIFY(typeAndSend(QStringLiteral("Yes, see you there")));
        QVERIFY(!bar->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(modelB(), QStringLiteral("Yes, see you there")) >= 0,
                                 kTimeout);
        const QModelIndex reply =
            modelB()->index(rowOfBody(modelB(), QStringLiteral("Yes, see you there")));
        QCOMPARE(reply.data(Model::ReplyTextRole).toString(),
                 QStringLiteral("Noon works. The usual place?"));
        QCOMPARE(ui::MessageDelegate::quoteText(reply),
                 QStringLiteral("Noon works. The usual place?"));
        // The quote takes room in the bubble: taller than the same text without one.
        ui::MessageView *viewB = m_b.window->messagesPane()->view();
        QTRY_VERIFY_WITH_TIMEOUT(viewB->bubbleRect(reply.row()).height() >
                                     viewB->bubbleRect(reply.row() - 1).height(),
                                 kTimeout);
    }

    void deleteAsksFirst()
    {
        QVERIFY(typeAndSend(QStringLiteral("Wrong room, sorry")));
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(modelB(), QStringLiteral("Wrong room, sorry")) >= 0,
                                 kTimeout);
        const auto uuidOf = [this] {
            return modelA()
                ->index(rowOfBody(modelA(), QStringLiteral("Wrong room, sorry")))
                .data(Model::UuidRole)
                .toString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!uuidOf().isEmpty(), kTimeout); // stored: it can be deleted
        const QString uuid = uuidOf();
        auto menu = menuOf(QStringLiteral("Wrong room, sorry"));
        action(menu.get(), "DeleteAction")->trigger();
        QMessageBox *box = pane()->deleteConfirmation();
        QVERIFY(box);
        QTRY_VERIFY_WITH_TIMEOUT(box->isVisible(), kTimeout);
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!pane()->deleteConfirmation(), kTimeout);
        // Nothing was sent: the round trip of a later call finds the row as it was.
        QVERIFY(typeAndSend(QStringLiteral("(never mind)")));
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(modelB(), QStringLiteral("(never mind)")) >= 0,
                                 kTimeout);
        QVERIFY(rowOfBody(modelB(), QStringLiteral("Wrong room, sorry")) >= 0);

        menu = menuOf(QStringLiteral("Wrong room, sorry"));
        action(menu.get(), "DeleteAction")->trigger();
        box = pane()->deleteConfirmation();
        QVERIFY(box);
        auto *confirm = box->findChild<QPushButton *>(QStringLiteral("ConfirmDeleteButton"));
        QVERIFY(confirm);
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            modelB()->index(modelB()->rowOf(uuid)).data(Model::DeletedRole).toBool(), kTimeout);
        QCOMPARE(modelB()->index(modelB()->rowOf(uuid)).data(Qt::DisplayRole).toString(),
                 QStringLiteral("Message deleted"));
        QTRY_VERIFY_WITH_TIMEOUT(
            modelA()->index(modelA()->rowOf(uuid)).data(Model::DeletedRole).toBool(), kTimeout);
        // A tombstone has nothing left to do but copy nothing: no actions.
        ui::MessageView *view = pane()->view();
        std::unique_ptr<QMenu> gone(
            view->messageMenu(view->model()->index(modelA()->rowOf(uuid), 0)));
        QVERIFY(actionNames(gone.get()).isEmpty());
    }

    // For a person to look at: an edited message, a reply with its quote, a deleted message and
    // the reply bar, in Silver (light) and Dusk (dark).
    void screenshotsLightAndDark()
    {
        auto menu = menuOf(QStringLiteral("Lunch at noon or one?"));
        action(menu.get(), "ReplyAction")->trigger();
        const QString dir = QStringLiteral(CHALK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        for (int theme : {0, 1}) {
            ui::themes::apply(theme);
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            const QImage shot = m_b.window->grab().toImage();
            const QString path =
                QDir(dir).filePath(QStringLiteral("own-messages-%1.png").arg(theme + 1));
            QVERIFY2(shot.save(path), qPrintable(path));
            const QImage mine = m_a.window->grab().toImage();
            const QString minePath =
                QDir(dir).filePath(QStringLiteral("own-messages-author-%1.png").arg(theme + 1));
            QVERIFY2(mine.save(minePath), qPrintable(minePath));
            qInfo("wrote %s and %s", qPrintable(path), qPrintable(minePath));
        }
        ui::themes::apply(0);
        pane()->cancelCompose();
    }

    void cleanupTestCase() { m_parties.stop(); }
};

QTEST_MAIN(TestOwnMessages)
#include "tst_own_messages.moc"
