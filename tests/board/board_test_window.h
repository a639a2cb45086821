// One app window's worth of board (client, model, link, Drawing tab) wired as MainWindow wires
// them, for the board tests that run two or three of them against one in-process server
// (tst_board_sync, tst_board_tools).
#pragma once

#include "board/board_model.h"
#include "board/chat_board_link.h"
#include "board_view.h"
#include "board_widget.h"
#include "client/chat_client.h"
#include "client/settings_store.h"

#include <QSignalSpy>
#include <QTest>

namespace chalk::test {

constexpr int kWait = 10000;

inline client::ClientOptions fastOptions()
{
    using namespace std::chrono_literals;
    client::ClientOptions o;
    o.backoffMin = 50ms;
    o.backoffMax = 400ms;
    return o;
}

struct Window {
    std::shared_ptr<client::MemorySettingsStore> store =
        std::make_shared<client::MemorySettingsStore>();
    client::ChatClient client{store, fastOptions()};
    board::BoardModel model;
    board::ChatBoardLink link{&client, &model};
    ui::BoardWidget widget{&model};

    Window()
    {
        // As MainWindow::createDrawingTab wires them.
        QObject::connect(&link, &board::ChatBoardLink::offlineChanged, &widget,
                         &ui::BoardWidget::setOffline);
        QObject::connect(&link, &board::ChatBoardLink::offlineRefused, &widget,
                         &ui::BoardWidget::showNotice);
        QObject::connect(&link, &board::ChatBoardLink::cleared, &widget,
                         &ui::BoardWidget::showCleared);
        widget.setOffline(link.isOffline(), link.waitingCount());
    }

    bool connectTo(const QUrl &url)
    {
        QSignalSpy ready(&client, &client::ChatClient::ready);
        client.connectToServer(url);
        return ready.wait(kWait);
    }
    bool enter(const QString &room)
    {
        QSignalSpy got(&client, &client::ChatClient::drawingGot);
        client.enterRoom(room);
        return got.wait(kWait);
    }
    QPoint at(QPointF logical) const { return widget.view()->mapFromScene(logical); }
    QWidget *viewport() const { return widget.view()->viewport(); }
    // A straight stroke with the mouse, through its midpoint.
    void stroke(QPointF from, QPointF to)
    {
        QTest::mousePress(viewport(), Qt::LeftButton, {}, at(from));
        QTest::mouseMove(viewport(), at((from + to) / 2));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, at(to));
    }
};

// A new room made by `w`; its uuid, or empty.
inline QString makeRoom(Window &w)
{
    QSignalSpy created(&w.client, &client::ChatClient::roomCreated);
    w.client.createRoom(QStringLiteral("board"));
    if (!created.wait(kWait))
        return {};
    return created.first().at(0).value<protocol::Room>().uuid;
}

// Connects both windows, makes a room with `a` and enters both; the room's uuid or empty.
inline QString bothInOneRoom(const QUrl &server, Window &a, Window &b)
{
    if (!a.connectTo(server) || !b.connectTo(server))
        return {};
    const QString room = makeRoom(a);
    if (room.isEmpty() || !a.enter(room) || !b.enter(room))
        return {};
    return room;
}

} // namespace chalk::test
