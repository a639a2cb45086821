// Shared by the UI tests: an in-process ChatServer on 127.0.0.1 (port 0, MemoryStorage) and
// a "party" = one ChatClient (own in-memory identity) with its real MainWindow.
#pragma once

#include "client/chat_client.h"
#include "server/chat_server.h"
#include "ui/main_window.h"

#include <QAbstractItemView>
#include <memory>

namespace chalk::test {

// Test-mode QSettings/QStandardPaths, a cleared settings file, a fixed theme.
void prepareUiTestEnvironment();

// port 0: any free port; another: that one (a server started again where it was).
std::unique_ptr<server::ChatServer> startServer(std::unique_ptr<server::Storage> storage = {},
                                                quint16 port = 0);
// With these options (e.g. accounts required); the host stays 127.0.0.1.
std::unique_ptr<server::ChatServer> startServer(server::ServerOptions options,
                                                std::unique_ptr<server::Storage> storage = {});

struct Party {
    std::unique_ptr<client::ChatClient> client;
    std::unique_ptr<ui::MainWindow> window;
};

// Connects and waits (up to 10 s) until the identity is settled. Empty client on failure.
Party connectParty(const QUrl &url, QSize size = QSize(1100, 720));

// The fixture of the window tests: a server and two connected parties, a and b. Torn down
// parties first, then the server (stop() and the destructor).
struct TwoParties {
    std::unique_ptr<server::ChatServer> server;
    Party a;
    Party b;
    // Starts the server (on `storage`, MemoryStorage when null) and connects a and b; false
    // when a step failed. prepareUiTestEnvironment() is the caller's, before filling storage.
    bool start(QSize sizeA = QSize(1100, 720), QSize sizeB = QSize(1100, 720),
               std::unique_ptr<server::Storage> storage = {});
    void stop();
    ~TwoParties() { stop(); }
};

// Double-clicks the room row with this uuid in the window's Rooms tab, like a person would.
bool doubleClickRoom(ui::MainWindow *window, const QString &uuid);
// The same in the Direct section of the Rooms tab.
bool doubleClickDirect(ui::MainWindow *window, const QString &uuid);
// Double-clicks a row of a list view (a press first, as a person's double click has).
void doubleClickIndex(QAbstractItemView *view, const QModelIndex &index);

} // namespace chalk::test
