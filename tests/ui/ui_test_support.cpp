#include "ui_test_support.h"

#include "client/room_filter_proxy_model.h"
#include "client/room_list_model.h"
#include "client/settings_store.h"
#include "server/storage/memory_storage.h"
#include "ui/room_list_view.h"
#include "ui/rooms_pane.h"

#include <QCoreApplication>
#include <QCoroTask>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

namespace chalk::test {

void prepareUiTestEnvironment()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ChalkroomTest"));
    // One settings file per test program: CTest runs them in parallel, and a shared file let
    // one program's theme change leak into another's window.
    QCoreApplication::setApplicationName(
        QStringLiteral("chalkroom-ui-test-") +
        QFileInfo(QCoreApplication::applicationFilePath()).baseName());
    QSettings().clear();
}

std::unique_ptr<server::ChatServer> startServer(std::unique_ptr<server::Storage> storage,
                                                quint16 port)
{
    server::ServerOptions options; // 127.0.0.1
    options.port = port;
    return startServer(options, std::move(storage));
}

std::unique_ptr<server::ChatServer> startServer(server::ServerOptions options,
                                                std::unique_ptr<server::Storage> storage)
{
    if (!storage)
        storage = std::make_unique<server::MemoryStorage>();
    auto chat = std::make_unique<server::ChatServer>(std::move(storage), options);
    if (!QCoro::waitFor(chat->start()))
        return nullptr;
    return chat;
}

bool TwoParties::start(QSize sizeA, QSize sizeB, std::unique_ptr<server::Storage> storage)
{
    server = startServer(std::move(storage));
    if (!server)
        return false;
    a = connectParty(server->url(), sizeA);
    b = connectParty(server->url(), sizeB);
    return a.client && b.client;
}

void TwoParties::stop()
{
    a = {};
    b = {};
    if (server)
        QCoro::waitFor(server->stop());
    server.reset();
}

Party connectParty(const QUrl &url, QSize size)
{
    Party p;
    p.client =
        std::make_unique<client::ChatClient>(std::make_shared<client::MemorySettingsStore>());
    p.window = std::make_unique<ui::MainWindow>(p.client.get());
    p.window->resize(size);
    p.window->show();
    p.client->connectToServer(url);
    if (!QTest::qWaitFor([&] { return p.client->isReady(); }, 10000))
        p.client.reset();
    return p;
}

bool doubleClickRoom(ui::MainWindow *window, const QString &uuid)
{
    ui::RoomsPane *rooms = window->roomsPane();
    window->leftTabs()->setCurrentWidget(rooms);
    const int row = window->roomModel()->indexOf(uuid);
    if (row < 0)
        return false;
    const QModelIndex index = rooms->proxy()->mapFromSource(window->roomModel()->index(row));
    doubleClickIndex(rooms->view(), index);
    return true;
}

bool doubleClickDirect(ui::MainWindow *window, const QString &uuid)
{
    ui::RoomsPane *rooms = window->roomsPane();
    window->leftTabs()->setCurrentWidget(rooms);
    const int row = window->roomModel()->indexOf(uuid);
    if (row < 0)
        return false;
    const QModelIndex index = rooms->directProxy()->mapFromSource(window->roomModel()->index(row));
    if (!index.isValid())
        return false;
    doubleClickIndex(rooms->directView(), index);
    return true;
}

void doubleClickIndex(QAbstractItemView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    const QPoint pos = view->visualRect(index).center();
    QWidget *viewport = view->viewport();
    // A press first (QAbstractItemView compares the double click with the pressed index).
    QTest::mouseClick(viewport, Qt::LeftButton, {}, pos);
    QTest::mouseDClick(viewport, Qt::LeftButton, {}, pos);
}

} // namespace chalk::test
