// Accounts and direct conversations in the desktop client (issue 10, item 6), with the real
// MainWindow on an in-process ChatServer over real sockets: the sign-in dialog registers and
// logs in, says the server's errors (a wrong password and an unknown name alike, a taken name,
// a short one) and keeps what was typed; the Account menu says who one is and signs out; a
// direct conversation opens from the Users pane and is listed under Direct for both people;
// Block makes the other's message come back refused; a server that requires accounts opens
// the dialog by itself. The functions run in order and share the two windows. Under Xvfb (or
// offscreen) it writes screenshots of the dialog and the Direct section into the build folder.
#include "client/message_list_model.h"
#include "client/room_filter_proxy_model.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "client/user_list_model.h"
#include "server/password_hasher.h"
#include "ui/account_menu.h"
#include "ui/blocked_users.h"
#include "ui/change_password_dialog.h"
#include "ui/direct_names.h"
#include "ui/elided_label.h"
#include "ui/header_bar.h"
#include "ui/message_input.h"
#include "ui/messages_pane.h"
#include "ui/room_delegate.h"
#include "ui/room_list_view.h"
#include "ui/room_section_proxy.h"
#include "ui/rooms_pane.h"
#include "ui/sign_in_dialog.h"
#include "ui/theme_manager.h"
#include "ui/users_pane.h"
#include "ui_test_support.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace chalk;
using client::RoomListModel;
using client::UserListModel;

namespace {
constexpr int kTimeout = 10000;
const QString kAccount = QStringLiteral("ann_account");
const QString kPassword = QStringLiteral("correct horse battery");
const QString kNewPassword = QStringLiteral("staple horse battery");

server::ServerOptions accountOptions(server::AccountsMode mode)
{
    server::ServerOptions options;
    options.accounts = mode;
    options.passwordWork = server::PasswordHasher::minimumWork(); // tests need no real cost
    return options;
}

// The rows of a section of the Rooms tab, by what they show.
QStringList shownNames(const QAbstractItemModel *model)
{
    QStringList out;
    for (int i = 0; i < model->rowCount(); ++i)
        out << model->index(i, 0).data(RoomListModel::NameRole).toString();
    return out;
}

QModelIndex userRow(ui::MainWindow *window, const QString &uuid)
{
    UserListModel *users = window->userModel();
    for (int i = 0; i < users->rowCount(); ++i) {
        const QModelIndex index = users->index(i);
        if (index.data(UserListModel::UuidRole).toString() == uuid)
            return index;
    }
    return {};
}

// Types into a line edit as a person does (the old text replaced).
void typeInto(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}
} // namespace

class TestAccountsDirect : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::prepareUiTestEnvironment();
        m_server = test::startServer(accountOptions(server::AccountsMode::Optional));
        QVERIFY(m_server);
        m_a = test::connectParty(m_server->url());
        m_b = test::connectParty(m_server->url());
        QVERIFY(m_a.client && m_b.client);
    }

    void anonymousIsTheDefault()
    {
        ui::AccountMenu *menu = m_a.window->accountMenu();
        QVERIFY(menu);
        QTRY_VERIFY_WITH_TIMEOUT(menu->signInAction()->isEnabled(), kTimeout);
        // Nobody is asked at the start of an optional server: anonymous use is the default.
        QVERIFY(!menu->signInDialog());
        QCOMPARE(menu->whoAction()->text(),
                 QStringLiteral("Anonymous: %1").arg(m_a.client->user().name));
        QVERIFY(!menu->changePasswordAction()->isEnabled());
        QVERIFY(!menu->signOutAction()->isEnabled());

        menu->signInAction()->trigger();
        ui::SignInDialog *dialog = menu->signInDialog();
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(dialog->anonymousButton()->isVisible());
        QVERIFY(dialog->anonymousButton()->isDefault()); // Enter continues anonymously
        QVERIFY(!dialog->submitButton()->isDefault());
        QVERIFY(!dialog->repeatEdit()->isVisibleTo(dialog)); // sign in: the password once
        for (QLabel *label : dialog->findChildren<QLabel *>())
            QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->text()));
        QTest::mouseClick(dialog->anonymousButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!menu->signInDialog(), kTimeout);
        QCOMPARE(QSettings().value(QStringLiteral("ui/accountChoice")).toString(),
                 QStringLiteral("anonymous"));
        QVERIFY(!m_a.client->user().registered);
    }

    void createAccountRegistersOverTheServer()
    {
        ui::AccountMenu *menu = m_a.window->accountMenu();
        const QString uuid = m_a.client->user().uuid;
        menu->createAccountAction()->trigger();
        ui::SignInDialog *dialog = menu->signInDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->mode(), ui::SignInDialog::Mode::CreateAccount);
        QVERIFY(dialog->repeatEdit()->isVisibleTo(dialog));
        QTest::keyClicks(dialog->nameEdit(), kAccount);
        QVERIFY(dialog->submitButton()->isDefault()); // a name typed: Enter sends it
        QTest::keyClicks(dialog->passwordEdit(), kPassword);
        QTest::keyClicks(dialog->repeatEdit(), QStringLiteral("something else"));
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QVERIFY(dialog->errorText().contains(QStringLiteral("differ")));
        QVERIFY(!dialog->isBusy()); // nothing was sent
        QCOMPARE(dialog->nameEdit()->text(), kAccount);

        typeInto(dialog->repeatEdit(), kPassword);
        QSignalSpy registered(m_a.client.get(), &client::ChatClient::registered);
        QTest::keyClick(dialog->repeatEdit(), Qt::Key_Return);
        // Waiting for the server's hash: busy, the fields locked.
        QVERIFY(dialog->isBusy());
        QVERIFY(dialog->busyIndicator()->isVisible());
        QVERIFY(!dialog->nameEdit()->isEnabled());
        QVERIFY(registered.wait(kTimeout));
        QTRY_VERIFY_WITH_TIMEOUT(!menu->signInDialog(), kTimeout);

        // The same user (uuid kept), now with an account; the menu says so.
        QVERIFY(m_a.client->user().registered);
        QCOMPARE(m_a.client->user().uuid, uuid);
        QCOMPARE(menu->whoAction()->text(),
                 QStringLiteral("Signed in as %1").arg(m_a.client->user().name));
        QVERIFY(menu->changePasswordAction()->isEnabled());
        QVERIFY(menu->signOutAction()->isEnabled());
        QVERIFY(!menu->createAccountAction()->isEnabled());
        QCOMPARE(QSettings().value(QStringLiteral("ui/accountChoice")).toString(),
                 QStringLiteral("account"));
    }

    void serverErrorsAreSaidAndTheTextKept()
    {
        ui::AccountMenu *menu = m_b.window->accountMenu();
        menu->createAccountAction()->trigger();
        ui::SignInDialog *dialog = menu->signInDialog();
        QVERIFY(dialog);
        // A taken name (in another case: names are compared case-folded).
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("ANN_Account"));
        QTest::keyClicks(dialog->passwordEdit(), QStringLiteral("another password"));
        QTest::keyClicks(dialog->repeatEdit(), QStringLiteral("another password"));
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->errorText(),
                                  QStringLiteral("This name is taken. Choose another one."),
                                  kTimeout);
        QVERIFY(!dialog->isBusy());
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("ANN_Account"));
        QCOMPARE(dialog->passwordEdit()->text(), QStringLiteral("another password"));

        // Too short, as the server's validator says (the client does not guess its limits).
        typeInto(dialog->nameEdit(), QStringLiteral("bo"));
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().startsWith(QStringLiteral("A name has 3")),
                                 kTimeout);
        typeInto(dialog->nameEdit(), QStringLiteral("bob_account"));
        typeInto(dialog->passwordEdit(), QStringLiteral("short"));
        typeInto(dialog->repeatEdit(), QStringLiteral("short"));
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog->errorText().startsWith(QStringLiteral("A password has at least 8")), kTimeout);
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("bob_account"));
        QVERIFY(!m_b.client->user().registered);
        dialog->reject();
        QTRY_VERIFY_WITH_TIMEOUT(!menu->signInDialog(), kTimeout);
    }

    void wrongPasswordShowsTheErrorAndKeepsTheName()
    {
        ui::AccountMenu *menu = m_b.window->accountMenu();
        menu->signInAction()->trigger();
        ui::SignInDialog *dialog = menu->signInDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->mode(), ui::SignInDialog::Mode::SignIn);
        QTest::keyClicks(dialog->nameEdit(), kAccount);
        QTest::keyClicks(dialog->passwordEdit(), QStringLiteral("not the password"));
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QVERIFY(dialog->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->errorText().isEmpty(), kTimeout);
        const QString wrongPassword = dialog->errorText();
        QCOMPARE(wrongPassword, QStringLiteral("Wrong name or password."));
        QCOMPARE(dialog->nameEdit()->text(), kAccount);
        QCOMPARE(dialog->passwordEdit()->text(), QStringLiteral("not the password"));
        QVERIFY(dialog->isVisible());

        // An unknown name reads the same: nothing tells a known name from an unknown one.
        typeInto(dialog->nameEdit(), QStringLiteral("nobody_here"));
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QVERIFY(dialog->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), kTimeout);
        QCOMPARE(dialog->errorText(), wrongPassword);
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("nobody_here"));
        dialog->reject();
        QTRY_VERIFY_WITH_TIMEOUT(!menu->signInDialog(), kTimeout);
    }

    void signInLogsInThenSignOut()
    {
        ui::AccountMenu *menu = m_b.window->accountMenu();
        const QString anonymous = m_b.client->user().uuid;
        menu->signInAction()->trigger();
        ui::SignInDialog *dialog = menu->signInDialog();
        QVERIFY(dialog);
        QTest::keyClicks(dialog->nameEdit(), kAccount);
        QTest::keyClicks(dialog->passwordEdit(), kPassword);
        QSignalSpy loggedIn(m_b.client.get(), &client::ChatClient::loggedIn);
        QTest::keyClick(dialog->passwordEdit(), Qt::Key_Return);
        QVERIFY(loggedIn.wait(kTimeout));
        QTRY_VERIFY_WITH_TIMEOUT(!menu->signInDialog(), kTimeout);
        // One account, one uuid on every device.
        QCOMPARE(m_b.client->user().uuid, m_a.client->user().uuid);
        QVERIFY(m_b.client->user().registered);
        QVERIFY(menu->whoAction()->text().startsWith(QStringLiteral("Signed in as ")));

        // A new password here signs out the other device (A): A comes back anonymous, and
        // since this device had chosen an account, it is asked to sign in again.
        menu->changePasswordAction()->trigger();
        ui::ChangePasswordDialog *change = menu->changePasswordDialog();
        QVERIFY(change);
        QTest::keyClicks(change->oldEdit(), QStringLiteral("not the password"));
        QTest::keyClicks(change->newEdit(), kNewPassword);
        QTest::keyClicks(change->repeatEdit(), kNewPassword);
        QTest::mouseClick(change->submitButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(change->errorText(),
                                  QStringLiteral("The current password is wrong."), kTimeout);
        QCOMPARE(change->newEdit()->text(), kNewPassword); // kept
        typeInto(change->oldEdit(), kPassword);
        QSignalSpy changed(m_b.client.get(), &client::ChatClient::passwordChanged);
        QTest::mouseClick(change->submitButton(), Qt::LeftButton);
        QVERIFY(changed.wait(kTimeout));
        QTRY_VERIFY_WITH_TIMEOUT(!menu->changePasswordDialog(), kTimeout);
        ui::AccountMenu *menuA = m_a.window->accountMenu();
        QTRY_VERIFY_WITH_TIMEOUT(menuA->signInDialog() && m_a.client->isReady(), 30000);
        QVERIFY(!m_a.client->user().registered);
        QVERIFY(!menuA->signInDialog()->accountRequired());
        QTest::mouseClick(menuA->signInDialog()->anonymousButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!menuA->signInDialog(), kTimeout);

        // Sign out: a new anonymous identity, and nobody asks to sign in again.
        QSignalSpy ready(m_b.client.get(), &client::ChatClient::ready);
        menu->signOutAction()->trigger();
        QVERIFY(ready.wait(kTimeout));
        QVERIFY(!m_b.client->user().registered);
        QVERIFY(m_b.client->user().uuid != m_a.client->user().uuid);
        QVERIFY(m_b.client->user().uuid != anonymous);
        QTRY_VERIFY_WITH_TIMEOUT(
            menu->whoAction()->text().startsWith(QStringLiteral("Anonymous: ")), kTimeout);
        QVERIFY(!menu->signInDialog());
        QVERIFY(!menu->signOutAction()->isEnabled());

        // Nobody else takes a registered user's name: the server refuses, the header says so.
        const QString before = m_b.client->user().name;
        QVERIFY(m_b.client->changeUserName(kAccount.toUpper()));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_b.window->header()->statusText().contains(QStringLiteral("registered user")),
            kTimeout);
        QCOMPARE(m_b.client->user().name, before);
        QCOMPARE(m_b.window->header()->userName(), before);
    }

    void directConversationOpensFromUsers()
    {
        // Names a person would have (and the screenshots show).
        QVERIFY(m_a.client->changeUserName(QStringLiteral("Ann")));
        QVERIFY(m_b.client->changeUserName(QStringLiteral("Bob")));
        QTRY_COMPARE_WITH_TIMEOUT(m_a.client->user().name, QStringLiteral("Ann"), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->user().name, QStringLiteral("Bob"), kTimeout);
        // Both in one room, so that each sees the other in Users.
        QSignalSpy created(m_a.client.get(), &client::ChatClient::roomCreated);
        QVERIFY(m_a.client->createRoom(QStringLiteral("Lobby")));
        QVERIFY(created.wait(kTimeout));
        m_lobby = created.first().at(0).value<protocol::Room>().uuid;
        QTRY_VERIFY_WITH_TIMEOUT(m_b.window->roomModel()->indexOf(m_lobby) >= 0, kTimeout);
        QVERIFY(test::doubleClickRoom(m_a.window.get(), m_lobby));
        QVERIFY(test::doubleClickRoom(m_b.window.get(), m_lobby));
        const QString bUuid = m_b.client->user().uuid;
        const QString bName = m_b.client->user().name;
        const QString aName = m_a.client->user().name;
        QTRY_VERIFY_WITH_TIMEOUT(userRow(m_a.window.get(), bUuid).isValid(), kTimeout);

        // The Direct section is empty and says how to start one.
        ui::RoomsPane *roomsA = m_a.window->roomsPane();
        QCOMPARE(roomsA->directProxy()->rowCount(), 0);
        QVERIFY(roomsA->directHint()->isVisibleTo(roomsA));

        // A double-click on Bob in Users opens the conversation and switches to it.
        m_a.window->rightTabs()->setCurrentWidget(m_a.window->usersPane());
        ui::UsersPane *users = m_a.window->usersPane();
        test::doubleClickIndex(users->view(), userRow(m_a.window.get(), bUuid));
        QTRY_VERIFY_WITH_TIMEOUT(m_a.client->currentRoomUuid() != m_lobby &&
                                     !m_a.client->currentRoomUuid().isEmpty(),
                                 kTimeout);
        m_direct = m_a.client->currentRoomUuid();
        QCOMPARE(m_a.window->rightTabs()->currentWidget(), m_a.window->messagesPane());
        QTRY_COMPARE_WITH_TIMEOUT(m_a.window->messagesPane()->roomTitle()->fullText(), bName,
                                  kTimeout);
        QVERIFY(m_a.window->windowTitle().contains(bName));

        // Listed under Direct (named by the other person) for both, never among the rooms.
        QTRY_COMPARE_WITH_TIMEOUT(shownNames(roomsA->directProxy()), QStringList{bName}, kTimeout);
        // With Bob's presence (the server tells both when the conversation is made).
        const auto bobOnline = [&] {
            return roomsA->directProxy()->index(0, 0).data(ui::RoomSectionProxy::PartnerOnlineRole);
        };
        QTRY_VERIFY_WITH_TIMEOUT(bobOnline().isValid() && bobOnline().toBool(), kTimeout);
        QCOMPARE(ui::RoomDelegate::countsText(roomsA->directProxy()->index(0, 0)),
                 QStringLiteral("Online"));
        QVERIFY(roomsA->directView()->isVisibleTo(roomsA));
        QVERIFY(!roomsA->directHint()->isVisibleTo(roomsA));
        QCOMPARE(shownNames(roomsA->proxy()), QStringList{QStringLiteral("Lobby")});
        ui::RoomsPane *roomsB = m_b.window->roomsPane();
        QTRY_COMPARE_WITH_TIMEOUT(shownNames(roomsB->directProxy()), QStringList{aName}, kTimeout);
        QCOMPARE(shownNames(roomsB->proxy()), QStringList{QStringLiteral("Lobby")});
        // The search looks in both sections.
        roomsB->searchField()->setText(aName.toUpper());
        QCOMPARE(roomsB->directProxy()->rowCount(), 1);
        QCOMPARE(roomsB->proxy()->rowCount(), 0);
        QVERIFY(roomsB->noMatchLabel()->isHidden());
        roomsB->searchField()->clear();

        // Selected in Direct: not renamed, recoloured or deleted.
        QCOMPARE(roomsA->selectedRoom(), m_direct);
        QVERIFY(roomsA->newButton()->isEnabled());
        QVERIFY(!roomsA->renameButton()->isEnabled());
        QVERIFY(!roomsA->colorButton()->isEnabled());
        QVERIFY(!roomsA->deleteButton()->isEnabled());
        QVERIFY(roomsA->selectRoom(m_lobby)); // a room again: one selection for both lists
        QVERIFY(roomsA->directView()->selectionModel()->selectedRows().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(roomsA->renameButton()->isEnabled(), kTimeout);

        // Bob opens it from his Direct list, and the two talk.
        QVERIFY(test::doubleClickDirect(m_b.window.get(), m_direct));
        QTRY_COMPARE_WITH_TIMEOUT(m_b.client->currentRoomUuid(), m_direct, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_b.window->messagesPane()->roomTitle()->fullText(), aName,
                                  kTimeout);
        QVERIFY(!m_a.client->sendMessage(QStringLiteral("just between us")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(lastBody(m_b) == QStringLiteral("just between us"), kTimeout);
    }

    void blockShowsTheRefusal()
    {
        const QString bUuid = m_b.client->user().uuid;
        m_a.window->rightTabs()->setCurrentWidget(m_a.window->usersPane());
        QTRY_VERIFY_WITH_TIMEOUT(userRow(m_a.window.get(), bUuid).isValid(), kTimeout);
        std::unique_ptr<QMenu> menu(
            m_a.window->usersPane()->menuFor(userRow(m_a.window.get(), bUuid)));
        auto *message = menu->findChild<QAction *>(QStringLiteral("MessageUserAction"));
        QVERIFY(message && message->isEnabled());
        auto *block = menu->findChild<QAction *>(QStringLiteral("BlockUserAction"));
        QVERIFY(block);
        QVERIFY(!menu->findChild<QAction *>(QStringLiteral("UnblockUserAction")));
        QSignalSpy blocked(m_a.client.get(), &client::ChatClient::userBlocked);
        block->trigger();
        QVERIFY(blocked.wait(kTimeout));
        QVERIFY(m_a.window->blockedUsers()->isBlocked(bUuid));
        // One's own row offers neither.
        menu.reset(
            m_a.window->usersPane()->menuFor(userRow(m_a.window.get(), m_a.client->user().uuid)));
        QVERIFY(!menu->findChild<QAction *>(QStringLiteral("BlockUserAction")));
        QVERIFY(!menu->findChild<QAction *>(QStringLiteral("MessageUserAction"))->isEnabled());

        // Bob writes: the server refuses, Bob's window says so and gives the text back.
        ui::MessagesPane *paneB = m_b.window->messagesPane();
        m_b.window->rightTabs()->setCurrentWidget(paneB);
        QTest::keyClicks(paneB->input(), QStringLiteral("are you there?"));
        QTest::mouseClick(paneB->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(paneB->refusalLabel()->isVisibleTo(paneB), kTimeout);
        QVERIFY(paneB->refusalLabel()->text().contains(QStringLiteral("does not accept")));
        QCOMPARE(paneB->input()->toPlainText(), QStringLiteral("are you there?"));
        QCOMPARE(lastBody(m_a), QStringLiteral("just between us")); // never arrived

        // Unblocked, the same words go through.
        menu.reset(m_a.window->usersPane()->menuFor(userRow(m_a.window.get(), bUuid)));
        auto *unblock = menu->findChild<QAction *>(QStringLiteral("UnblockUserAction"));
        QVERIFY(unblock);
        QSignalSpy unblocked(m_a.client.get(), &client::ChatClient::userUnblocked);
        unblock->trigger();
        QVERIFY(unblocked.wait(kTimeout));
        QVERIFY(!m_a.window->blockedUsers()->isBlocked(bUuid));
        QTest::mouseClick(paneB->sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(lastBody(m_a), QStringLiteral("are you there?"), kTimeout);
        QVERIFY(!paneB->refusalLabel()->isVisibleTo(paneB));
    }

    void screenshotsLightAndDark()
    {
        const QString dir = QStringLiteral(CHALK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        m_a.window->leftTabs()->setCurrentWidget(m_a.window->roomsPane());
        m_a.window->rightTabs()->setCurrentWidget(m_a.window->messagesPane());
        m_a.window->roomsPane()->selectRoom(m_direct);
        // On A's link: B's has used up its free password checks above.
        ui::AccountMenu *menu = m_a.window->accountMenu();
        for (int theme : {0, 1}) {                 // Silver (light), Dusk (dark)
            m_a.window->header()->setTheme(theme); // as the slider does: its label follows
            ui::themes::apply(theme);
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            const QString suffix = QStringLiteral("-theme-%1.png").arg(theme + 1);
            const QString direct = QDir(dir).filePath(QStringLiteral("direct") + suffix);
            QVERIFY2(m_a.window->grab().toImage().save(direct), qPrintable(direct));
            // Users: each with the presence dot.
            m_a.window->rightTabs()->setCurrentWidget(m_a.window->usersPane());
            QCoreApplication::processEvents();
            const QString users = QDir(dir).filePath(QStringLiteral("users") + suffix);
            QVERIFY2(m_a.window->grab().toImage().save(users), qPrintable(users));
            m_a.window->rightTabs()->setCurrentWidget(m_a.window->messagesPane());
            // The dialog as a person meets it: its error after a wrong password.
            menu->openSignIn(ui::SignInDialog::Mode::SignIn);
            ui::SignInDialog *dialog = menu->signInDialog();
            QVERIFY(dialog);
            QTest::keyClicks(dialog->nameEdit(), kAccount);
            QTest::keyClicks(dialog->passwordEdit(), QStringLiteral("not the password"));
            QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), kTimeout);
            QCoreApplication::processEvents();
            const QString signIn = QDir(dir).filePath(QStringLiteral("sign-in") + suffix);
            QVERIFY2(dialog->grab().toImage().save(signIn), qPrintable(signIn));
            dialog->reject();
            QTRY_VERIFY_WITH_TIMEOUT(!menu->signInDialog(), kTimeout);
            qInfo("wrote %s and %s", qPrintable(direct), qPrintable(signIn));
        }
        m_a.window->header()->setTheme(0);
        ui::themes::apply(0);
    }

    void requiredAccountsOpenTheDialogByThemselves()
    {
        auto required = test::startServer(accountOptions(server::AccountsMode::Required));
        QVERIFY(required);
        // A new device (its own settings) meets a server that admits nobody anonymous.
        QSettings().remove(QStringLiteral("ui/accountChoice"));
        client::ChatClient client(std::make_shared<client::MemorySettingsStore>());
        ui::MainWindow window(&client);
        window.show();
        client.connectToServer(required->url());
        ui::AccountMenu *menu = window.accountMenu();
        QTRY_VERIFY_WITH_TIMEOUT(menu->signInDialog() && menu->signInDialog()->isVisible(),
                                 kTimeout);
        ui::SignInDialog *dialog = menu->signInDialog();
        QVERIFY(dialog->accountRequired());
        QVERIFY(!dialog->anonymousButton()->isVisibleTo(dialog)); // not a choice here
        QVERIFY(dialog->submitButton()->isDefault());
        QVERIFY(!client.isReady());
        dialog->modeTabs()->setCurrentIndex(1); // Create account
        QVERIFY(dialog->repeatEdit()->isVisibleTo(dialog));
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("carol_account"));
        QTest::keyClicks(dialog->passwordEdit(), kPassword);
        QTest::keyClicks(dialog->repeatEdit(), kPassword);
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(client.isReady(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(!menu->signInDialog(), kTimeout);
        QVERIFY(client.user().registered);
        QTRY_VERIFY_WITH_TIMEOUT(menu->signOutAction()->isEnabled(), kTimeout);
        client.disconnectFromServer();
        QCoro::waitFor(required->stop());
    }

    void cleanupTestCase()
    {
        m_a = {};
        m_b = {};
        if (m_server)
            QCoro::waitFor(m_server->stop());
    }

private:
    static QString lastBody(const test::Party &party)
    {
        client::MessageListModel *model = party.window->messageModel();
        const int n = model->rowCount();
        return n ? model->index(n - 1).data(client::MessageListModel::BodyRole).toString()
                 : QString();
    }

    std::unique_ptr<server::ChatServer> m_server;
    test::Party m_a;
    test::Party m_b;
    QString m_lobby;
    QString m_direct;
};

QTEST_MAIN(TestAccountsDirect)
#include "tst_accounts_direct.moc"
