// A self-signed certificate for 127.0.0.1, made by the openssl program into a test's temporary
// folder, for the wss:// tests of the server and of the client.
#pragma once

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace chalk::test {

struct TestCertificate {
    QSslCertificate cert;
    QSslKey key;
    QString certPath;
    QString keyPath;
    QString skipReason; // this machine cannot make or use one: the test should skip
    QString error;      // making it failed: the test should fail
};

inline TestCertificate makeTestCertificate(const QTemporaryDir &dir)
{
    TestCertificate made;
    if (!QSslSocket::supportsSsl()) {
        made.skipReason = QStringLiteral("Qt has no TLS backend here");
        return made;
    }
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        made.skipReason = QStringLiteral("the openssl program is needed to make the test "
                                         "certificate; install openssl");
        return made;
    }
    made.certPath = dir.filePath(QStringLiteral("cert.pem"));
    made.keyPath = dir.filePath(QStringLiteral("key.pem"));
    QProcess p;
    p.start(openssl,
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
             QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
             QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
             QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
             QStringLiteral("-keyout"), made.keyPath, QStringLiteral("-out"), made.certPath});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        made.error =
            QStringLiteral("openssl failed: ") + QString::fromLocal8Bit(p.readAllStandardError());
        return made;
    }
    const auto certs = QSslCertificate::fromPath(made.certPath);
    QFile keyFile(made.keyPath);
    if (certs.size() != 1 || !keyFile.open(QIODevice::ReadOnly)) {
        made.error = QStringLiteral("openssl wrote no usable certificate or key");
        return made;
    }
    made.cert = certs.first();
    made.key = QSslKey(&keyFile, QSsl::Rsa);
    if (made.key.isNull())
        made.error = QStringLiteral("the key openssl wrote does not load");
    return made;
}

} // namespace chalk::test
