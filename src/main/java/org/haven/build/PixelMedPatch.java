package org.haven.build;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Build step (Maven's process-classes phase, never at run time): PixelMed 20220618's
 * {@code SpecificCharacterSet.translateByteArrayToString(byte[], int, int)} builds a hex dump of every string it decodes
 * ({@code StringUtilities.dump(result)}) as the argument of a trace call it does not guard, in every file that declares
 * a character set: ~9 % of a warm node's consumer CPU and ~7 % of a batch's (bench/RESULTS.md, 1 December). This
 * writes a copy of that class into {@code target/classes} without the dump call, so the trace (off) gets the string
 * itself; the jar and the tests load it before PixelMed's own. Nothing else in the class changes. The build fails if
 * PixelMed's bytecode is not the one this expects (a different PixelMed: look again before patching it).
 *
 * <p>Usage: {@code PixelMedPatch <classes dir>}.
 */
public final class PixelMedPatch {
    static final String CLASS = "com/pixelmed/dicom/SpecificCharacterSet";
    static final String METHOD = "translateByteArrayToString", DESCRIPTOR = "([BII)Ljava/lang/String;";
    static final String DUMP_OWNER = "com/pixelmed/utils/StringUtilities", DUMP = "dump", DUMP_DESCRIPTOR = "(Ljava/lang/String;)Ljava/lang/String;";

    private PixelMedPatch() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: PixelMedPatch <classes dir>");
        Path target = Path.of(args[0]).resolve(CLASS + ".class");
        byte[] patched = patch(original());
        Files.createDirectories(target.getParent());
        Files.write(target, patched);
        System.out.println("[haven] PixelMed patched: " + CLASS + "." + METHOD + " no longer hex-dumps every decoded string");
    }

    /** The class as PixelMed's jar has it (not a copy an earlier build left in the classes directory). */
    static byte[] original() throws IOException {
        try (InputStream in = originalUrl().openStream()) {
            return in.readAllBytes();
        }
    }

    /** {@code jar:file:/…/pixelmed-20220618.jar!/com/pixelmed/dicom/SpecificCharacterSet.class}. */
    static URL originalUrl() throws IOException {
        for (URL url : Collections.list(PixelMedPatch.class.getClassLoader().getResources(CLASS + ".class"))) {
            if ("jar".equals(url.getProtocol())) return url;
        }
        throw new IllegalStateException(CLASS + " not found in a jar on the build's classpath (is PixelMed a dependency?)");
    }

    /** The class without the one call to {@code StringUtilities.dump(String)} in {@code translateByteArrayToString}. */
    static byte[] patch(byte[] original) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(0); // maximum stack unchanged or smaller: a String replaces a String
        int[] removed = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!METHOD.equals(name) || !DESCRIPTOR.equals(descriptor)) return method;
                return new MethodVisitor(Opcodes.ASM9, method) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callee, String calleeDescriptor, boolean isInterface) {
                        if (opcode == Opcodes.INVOKESTATIC && DUMP_OWNER.equals(owner) && DUMP.equals(callee) && DUMP_DESCRIPTOR.equals(calleeDescriptor)) {
                            removed[0]++; // its argument, the decoded string, stays on the stack in its place
                            return;
                        }
                        super.visitMethodInsn(opcode, owner, callee, calleeDescriptor, isInterface);
                    }
                };
            }
        }, 0);
        if (removed[0] != 1) {
            throw new IllegalStateException("expected one StringUtilities.dump call in " + CLASS + "." + METHOD + ", found " + removed[0]
                + ": not the PixelMed this patch was written for");
        }
        return writer.toByteArray();
    }
}
