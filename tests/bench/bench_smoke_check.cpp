// bench_smoke_check: runs one benchmark command at its tiny size and checks that it finished
// and that what it printed is well-formed JSON with the expected keys. Never looks at timings.
//   bench_smoke_check [--keys SCENARIO:k1,k2,...]... [--zero k1,k2] [--allow-skip] -- CMD ARGS...
// Every non-empty stdout line must be a JSON object with a "scenario"; a line whose scenario has
// --keys must hold all of them; keys named in --zero must be 0 or false where present, and
// present in at least one measured line (lost, timed_out: a tiny run that loses a message is a
// bug, not noise; a counter nobody prints is not a zero). A {"skipped": ...} line (a
// part whose program is not built) fails unless --allow-skip; with only skipped lines the exit
// code is 77 (CTest SKIP_RETURN_CODE).
#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStringList>
#include <cstdio>

namespace {

int failWith(const QString &why, const QByteArray &out, const QByteArray &err)
{
    std::fprintf(stderr, "FAIL: %s\n--- stdout ---\n%s\n--- stderr ---\n%s\n", qPrintable(why),
                 out.constData(), err.right(4000).constData());
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    QHash<QString, QStringList> keys;
    QStringList zero;
    bool allowSkip = false;
    qsizetype i = 0;
    for (; i < args.size() && args[i] != QLatin1String("--"); ++i) {
        const QString &a = args[i];
        if (a.isEmpty())
            continue; // an empty generator expression
        if (a == QLatin1String("--allow-skip")) {
            allowSkip = true;
        } else if ((a == QLatin1String("--keys") || a == QLatin1String("--zero")) &&
                   i + 1 < args.size()) {
            const QString v = args[++i];
            if (a == QLatin1String("--zero")) {
                zero += v.split(QLatin1Char(','), Qt::SkipEmptyParts);
            } else {
                const qsizetype colon = v.indexOf(QLatin1Char(':'));
                keys[v.left(colon)] += v.mid(colon + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
            }
        } else {
            std::fprintf(stderr, "bench_smoke_check: unknown argument %s\n", qPrintable(a));
            return 2;
        }
    }
    if (i + 1 >= args.size()) {
        std::fprintf(stderr, "usage: bench_smoke_check [--keys S:k,..] [--zero k,..] "
                             "[--allow-skip] -- CMD ARGS...\n");
        return 2;
    }

    QProcess proc;
    proc.setProcessChannelMode(QProcess::SeparateChannels);
    proc.start(args[i + 1], args.mid(i + 2));
    if (!proc.waitForStarted(10000))
        return failWith(QStringLiteral("could not start %1").arg(args[i + 1]), {}, {});
    if (!proc.waitForFinished(170000)) {
        proc.kill();
        proc.waitForFinished(5000);
        return failWith(QStringLiteral("did not finish"), proc.readAllStandardOutput(),
                        proc.readAllStandardError());
    }
    const QByteArray out = proc.readAllStandardOutput();
    const QByteArray err = proc.readAllStandardError();
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0)
        return failWith(QStringLiteral("exit code %1").arg(proc.exitCode()), out, err);

    int measured = 0;
    QSet<QString> zeroSeen; // --zero keys present in some measured line
    int skipped = 0;
    for (const QByteArray &line : out.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return failWith(QStringLiteral("not a JSON object: %1").arg(error.errorString()), out,
                            err);
        const QJsonObject o = doc.object();
        const QString scenario = o.value(QLatin1String("scenario")).toString();
        if (scenario.isEmpty())
            return failWith(QStringLiteral("a line without \"scenario\""), out, err);
        if (o.contains(QLatin1String("skipped"))) {
            if (!allowSkip)
                return failWith(QStringLiteral("%1 was skipped").arg(scenario), out, err);
            ++skipped;
            continue;
        }
        for (const QString &k : keys.value(scenario)) {
            if (!o.contains(k))
                return failWith(QStringLiteral("%1: key \"%2\" missing").arg(scenario, k), out,
                                err);
        }
        for (const QString &k : zero) {
            const QJsonValue v = o.value(k);
            if (!v.isUndefined())
                zeroSeen.insert(k);
            if (!v.isUndefined() && !(v.isBool() && !v.toBool()) &&
                !(v.isDouble() && v.toDouble() == 0))
                return failWith(
                    QStringLiteral("%1: \"%2\" should be 0/false, is %3")
                        .arg(scenario, k,
                             QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact))),
                    out, err);
        }
        ++measured;
    }
    // A counter that is never printed (renamed, removed, a typo here) must not pass as zero.
    for (const QString &k : zero) {
        if (measured > 0 && !zeroSeen.contains(k))
            return failWith(QStringLiteral("--zero %1: no measured line has this key").arg(k), out,
                            err);
    }
    for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
        if (!out.contains(QByteArray("\"scenario\":\"") + it.key().toUtf8() + '"'))
            return failWith(QStringLiteral("no line for %1").arg(it.key()), out, err);
    }
    std::fprintf(stdout, "%s", out.constData());
    if (measured == 0 && skipped > 0)
        return 77;
    if (measured == 0)
        return failWith(QStringLiteral("no output"), out, err);
    return 0;
}
