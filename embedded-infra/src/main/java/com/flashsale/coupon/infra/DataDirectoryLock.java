package com.flashsale.coupon.infra;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One launcher per data directory: a launcher holds a lock on {@code <directory>.lock}, beside
 * the directory (PostgreSQL's {@code initdb} wants the directory itself empty), for as long as it
 * runs, and the lock goes with the process however it ends. A second launcher on the same data
 * gets one sentence naming the first, instead of the embedded server's own lock failing later
 * with a stack trace.
 */
public final class DataDirectoryLock {

    /** Locks held by this process: released only when it exits. */
    private static final List<FileChannel> HELD = new ArrayList<>();

    private DataDirectoryLock() {
    }

    /**
     * Takes the lock of {@code directory} for {@code what}; empty when this process has it now,
     * otherwise one sentence that names the holder and ends with {@code howToMove}.
     */
    public static synchronized Optional<String> acquire(Path directory, String what, String howToMove) {
        Path lockFile = directory.resolveSibling(directory.getFileName() + ".lock");
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                return Optional.of("the data directory " + directory + " for " + what + " is in use" + holder
                        + "; stop it, or keep this one's data elsewhere: " + howToMove + ".");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            HELD.add(channel);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot lock the data directory " + directory + " for " + what + " (" + e.getMessage()
                    + "); " + howToMove + ".");
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(32);
        channel.read(text, 0);
        try {
            long pid = Long.parseLong(new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).trim());
            return " by " + PortCheck.describe(pid);
        } catch (NumberFormatException e) {
            return "";
        }
    }
}
