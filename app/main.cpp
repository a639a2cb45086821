// chalkroom: the desktop app. Without options it runs the bundled server in-process on
// 127.0.0.1 (port 9000, or a free one) and connects to it; --server connects elsewhere.
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "ui/app_settings.h"
#include "ui/main_window.h"
#include "ui/notice.h"
#include "ui/server_host.h"
#include "ui/startup_options.h"
#include "ui/ui_logging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoroTask>
#include <QDir>
#include <QLockFile>
#include <QStandardPaths>
#include <cstdio>
#include <memory>

using namespace chalk;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Chalkroom"));
    QCoreApplication::setApplicationName(QStringLiteral("chalkroom"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHALK_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Chalkroom"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.chalkroom.Chalkroom"));

    QCommandLineParser parser;
    ui::addStartupOptions(parser);
    parser.process(app);
    const ui::StartupOptions options = ui::readStartupOptions(parser);
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "chalkroom: %s\n\n%s", qPrintable(options.error),
                     qPrintable(parser.helpText()));
        return 2;
    }

    // The identity (resume token) lives in QSettings. A second instance on the same account
    // must not resume the same user, or both windows would be one person talking to itself.
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    QLockFile identityLock(QDir(dataDir).filePath(QStringLiteral("identity.lock")));
    std::shared_ptr<client::SettingsStore> store;
    if (identityLock.tryLock(200)) {
        store = std::make_shared<client::QSettingsStore>();
    } else {
        store = std::make_shared<client::MemorySettingsStore>();
        qCInfo(lcUi) << "another Chalkroom is running: this window gets a new identity";
    }

    client::ChatClient client(store);
    // The window's own settings (theme, layout, last server) are the account's, whichever
    // identity this instance has.
    const auto appSettings = std::make_shared<client::QSettingsStore>();
    ui::MainWindow window(&client, appSettings);
    window.setInitialRoom(options.room);

    std::unique_ptr<ui::ServerHost> host;
    if (options.server.isEmpty()) {
        host = std::make_unique<ui::ServerHost>(options.storage);
        window.setServerHost(host.get());
        ui::ServerHost *h = host.get();
        h->start(options.listenHost, options.listenPort, !options.listenGiven)
            .then([h, &client, &window](bool ok) {
                if (ok) {
                    client.connectToServer(h->localUrl());
                    return;
                }
                qCWarning(lcUi) << "embedded server did not start:" << h->errorString();
                ui::showNotice(&window, QMessageBox::Critical,
                               QCoreApplication::translate("main", "Server not started"),
                               QCoreApplication::translate(
                                   "main", "Chalkroom could not start its server: %1\n\nUse "
                                           "--listen HOST:PORT for another address, or "
                                           "--server ws://host:port to join another Chalkroom.")
                                   .arg(h->errorString()));
            });
    } else {
        ui::settings::server.set(*appSettings, options.server.toString());
        client.connectToServer(options.server);
    }

    window.show();
    const int rc = app.exec();
    client.disconnectFromServer();
    if (host)
        QCoro::waitFor(host->stop()); // pending messages reach the database before exit
    return rc;
}
