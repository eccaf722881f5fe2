package org.haven.build;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Build step (Maven's process-classes phase, never at run time): PixelMed 20220618 builds debug strings for trace
 * calls it does not guard, once per string value and once per element of every file it reads:
 * <ul>
 * <li>{@code SpecificCharacterSet.translateByteArrayToString(byte[], int, int)} passes a hex dump of every string it
 * decodes ({@code StringUtilities.dump(result)}), in every file that declares a character set: ~9 % of a warm node's
 * consumer CPU. Without the dump call the trace (off) gets the string itself.</li>
 * <li>{@code AttributeList.read(...)} logs {@code "read(): tag=" + tag} for every element (the tag's hex text built
 * each time): ~2 %. That statement is removed whole.</li>
 * </ul>
 * Copies of the two classes so changed are written into {@code target/classes}; the jar and the tests load them before
 * PixelMed's own. Nothing else changes. The build fails if PixelMed's bytecode is not the one this expects (a
 * different PixelMed: look again before patching it).
 *
 * <p>Usage: {@code PixelMedPatch <classes dir>}.
 */
public final class PixelMedPatch {
    static final String CLASS = "com/pixelmed/dicom/SpecificCharacterSet";
    static final String LIST_CLASS = "com/pixelmed/dicom/AttributeList";
    static final String READ = "read", READ_DESCRIPTOR = "(Lcom/pixelmed/dicom/DicomInputStream;JJZLcom/pixelmed/dicom/SpecificCharacterSet;"
        + "Lcom/pixelmed/dicom/AttributeTag;Lcom/pixelmed/dicom/AttributeList$ReadTerminationStrategy;ZZ)J";
    static final String TAG_TRACE = "read(): tag=";
    static final String METHOD = "translateByteArrayToString", DESCRIPTOR = "([BII)Ljava/lang/String;";
    static final String DUMP_OWNER = "com/pixelmed/utils/StringUtilities", DUMP = "dump", DUMP_DESCRIPTOR = "(Ljava/lang/String;)Ljava/lang/String;";

    private PixelMedPatch() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: PixelMedPatch <classes dir>");
        write(Path.of(args[0]), CLASS, patch(original(CLASS)));
        write(Path.of(args[0]), LIST_CLASS, patchList(original(LIST_CLASS)));
        System.out.println("[haven] PixelMed patched: no debug strings built per decoded string (" + CLASS + ") and per element read ("
            + LIST_CLASS + ")");
    }

    private static void write(Path classes, String name, byte[] bytes) throws IOException {
        Path target = classes.resolve(name + ".class");
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
    }

    /** The class as PixelMed's jar has it (not a copy an earlier build left in the classes directory). */
    static byte[] original(String name) throws IOException {
        try (InputStream in = originalUrl(name).openStream()) {
            return in.readAllBytes();
        }
    }

    /** {@code jar:file:/…/pixelmed-20220618.jar!/com/pixelmed/dicom/SpecificCharacterSet.class}. */
    static URL originalUrl(String name) throws IOException {
        for (URL url : Collections.list(PixelMedPatch.class.getClassLoader().getResources(name + ".class"))) {
            if ("jar".equals(url.getProtocol())) return url;
        }
        throw new IllegalStateException(name + " not found in a jar on the build's classpath (is PixelMed a dependency?)");
    }

    /** The class without the one call to {@code StringUtilities.dump(String)} in {@code translateByteArrayToString}. */
    static byte[] patch(byte[] original) {
        // its argument, the decoded string, stays on the stack in the call's place (maximum stack unchanged)
        return removeOnce(original, CLASS, METHOD, DESCRIPTOR, "StringUtilities.dump call", i ->
            i instanceof MethodInsnNode c && c.getOpcode() == Opcodes.INVOKESTATIC && DUMP_OWNER.equals(c.owner) && DUMP.equals(c.name)
                && DUMP_DESCRIPTOR.equals(c.desc) ? List.of(i) : null);
    }

    /**
     * AttributeList without the statement {@code slf4jlogger.trace("read(): tag=" + tag)} in its read loop: the
     * instructions from the logger's field to the trace call, which build the string on a StringBuilder and nothing
     * else (no branch lands inside them, so no stack map frame changes).
     */
    static byte[] patchList(byte[] original) {
        return removeOnce(original, LIST_CLASS, READ, READ_DESCRIPTOR, "\"" + TAG_TRACE + "\" trace", PixelMedPatch::tagTrace);
    }

    /**
     * The class with the instructions {@code match} finds (from an instruction, or null there) removed from one method;
     * exactly one such place, else this is not the PixelMed the patch was written for.
     */
    private static byte[] removeOnce(byte[] original, String owner, String name, String descriptor, String what,
                                     java.util.function.Function<AbstractInsnNode, List<AbstractInsnNode>> match) {
        ClassNode type = new ClassNode();
        new ClassReader(original).accept(type, 0);
        int removed = 0;
        for (MethodNode m : type.methods) {
            if (!name.equals(m.name) || !descriptor.equals(m.desc)) continue;
            AbstractInsnNode i = m.instructions.getFirst();
            while (i != null) {
                List<AbstractInsnNode> found = match.apply(i);
                if (found == null) {
                    i = i.getNext();
                    continue;
                }
                i = found.get(found.size() - 1).getNext();
                for (AbstractInsnNode f : found) m.instructions.remove(f);
                removed++;
            }
        }
        if (removed != 1) {
            throw new IllegalStateException("expected one " + what + " in " + owner + "." + name + ", found " + removed
                + ": not the PixelMed this patch was written for");
        }
        ClassWriter writer = new ClassWriter(0);
        type.accept(writer);
        return writer.toByteArray();
    }

    /** The instructions of {@code slf4jlogger.trace("read(): tag=" + tag)} starting at {@code first}, or null. */
    private static List<AbstractInsnNode> tagTrace(AbstractInsnNode first) {
        List<AbstractInsnNode> found = new java.util.ArrayList<>();
        AbstractInsnNode i = first;
        for (int step = 0; step < 10; step++) {
            if (i == null || i.getOpcode() < 0) return null; // a label, line number or frame inside: not this statement
            boolean ok = switch (step) {
                case 0 -> i instanceof FieldInsnNode f && f.getOpcode() == Opcodes.GETSTATIC && f.owner.equals(LIST_CLASS)
                    && f.desc.equals("Lcom/pixelmed/slf4j/Logger;");
                case 1 -> i instanceof TypeInsnNode t && t.getOpcode() == Opcodes.NEW && t.desc.equals("java/lang/StringBuilder");
                case 2 -> i.getOpcode() == Opcodes.DUP;
                case 3 -> i instanceof MethodInsnNode c && c.getOpcode() == Opcodes.INVOKESPECIAL && c.owner.equals("java/lang/StringBuilder");
                case 4 -> i instanceof LdcInsnNode l && TAG_TRACE.equals(l.cst);
                case 5 -> i instanceof MethodInsnNode c && c.name.equals("append") && c.owner.equals("java/lang/StringBuilder");
                case 6 -> i.getOpcode() == Opcodes.ALOAD;
                case 7 -> i instanceof MethodInsnNode c && c.name.equals("append") && c.owner.equals("java/lang/StringBuilder");
                case 8 -> i instanceof MethodInsnNode c && c.name.equals("toString") && c.owner.equals("java/lang/StringBuilder");
                default -> i instanceof MethodInsnNode c && c.getOpcode() == Opcodes.INVOKEVIRTUAL && c.owner.equals("com/pixelmed/slf4j/Logger")
                    && c.name.equals("trace") && c.desc.equals("(Ljava/lang/String;)V");
            };
            if (!ok) return null;
            found.add(i);
            i = i.getNext();
        }
        return found;
    }
}
