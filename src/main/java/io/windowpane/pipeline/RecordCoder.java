package io.windowpane.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The coder of a Java record, given one coder per component in declaration order: the components are written one
 * after another, each by its coder, and read back through the canonical constructor. One line per record type then
 * states its wire format (see {@link Coders}), instead of a hand-written coder per type that repeats this shape.
 *
 * <p>It may code only a record's leading components, where the record has a constructor that takes just those: the
 * components after them are then neither written nor read (the constructor fills them in). So a record can grow
 * components that only some jobs use, while the jobs that do not keep the wire format, and checkpoints, they had.
 *
 * <p>The coder is serializable (runners ship it to workers); the method handles it reads and builds records with are
 * looked up again after deserialization.
 */
public final class RecordCoder<T extends Record> extends StructuredCoder<T> {

  private final Class<T> type;
  private final List<Coder<?>> components;
  private transient volatile Access access;

  private RecordCoder(Class<T> type, List<Coder<?>> components) {
    this.type = type;
    this.components = components;
    this.access = Access.of(type, components.size()); // fails at pipeline construction, not on a worker, if the record is unusable
  }

  /**
   * A coder of {@code type} from the coders of its components, in the order the record declares them: of all of
   * them, or of its leading ones where the record has a constructor that takes just those.
   *
   * @throws IllegalArgumentException when the number of coders or the type one of them encodes does not fit
   */
  public static <T extends Record> RecordCoder<T> of(Class<T> type, Coder<?>... componentCoders) {
    RecordComponent[] declared = type.getRecordComponents();
    if (declared.length < componentCoders.length || componentCoders.length == 0) {
      throw new IllegalArgumentException(type.getSimpleName() + " has " + declared.length + " components, "
          + componentCoders.length + " coders were given");
    }
    for (int i = 0; i < componentCoders.length; i++) {
      Class<?> encoded = componentCoders[i].getEncodedTypeDescriptor().getRawType();
      Class<?> component = MethodType.methodType(declared[i].getType()).wrap().returnType(); // long -> Long
      if (!encoded.isAssignableFrom(component)) {
        throw new IllegalArgumentException(type.getSimpleName() + "." + declared[i].getName() + " is a "
            + component.getSimpleName() + ", its coder " + componentCoders[i] + " encodes " + encoded.getSimpleName());
      }
    }
    if (componentCoders.length < declared.length) {
      Class<?>[] leading = Arrays.stream(declared).limit(componentCoders.length).map(RecordComponent::getType)
          .toArray(Class<?>[]::new);
      try {
        type.getDeclaredConstructor(leading);
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(type.getSimpleName() + " has " + declared.length + " components and no"
            + " constructor of its first " + componentCoders.length + "; " + componentCoders.length
            + " coders were given");
      }
    }
    return new RecordCoder<>(type, List.of(componentCoders));
  }

  @Override
  @SuppressWarnings("unchecked")
  public void encode(T value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    MethodHandle[] getters = access().getters;
    for (int i = 0; i < getters.length; i++) {
      ((Coder<Object>) components.get(i)).encode(invoke(getters[i], value), out);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T decode(InputStream in) throws IOException {
    Object[] values = new Object[components.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = components.get(i).decode(in);
    }
    Object record;
    try {
      record = access().constructor.invokeExact(values); // typed (Object[])Object, as the handle is
    } catch (RuntimeException | Error e) {
      // a record's constructor that rejects the values read: the bytes were not written by this coder
      throw new CoderException("cannot rebuild a " + type.getSimpleName() + " from what was read: " + e, e);
    } catch (Throwable e) {
      throw new CoderException(e);
    }
    return (T) record;
  }

  private static Object invoke(MethodHandle getter, Object record) throws CoderException {
    try {
      return getter.invokeExact(record);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new CoderException(e);
    }
  }

  private Access access() {
    Access current = access;
    if (current == null) {
      current = Access.of(type, components.size());
      access = current;
    }
    return current;
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return components;
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, type.getSimpleName() + "'s component coders must be deterministic", components);
  }

  @Override
  public TypeDescriptor<T> getEncodedTypeDescriptor() {
    return TypeDescriptor.of(type);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordCoder<?> that && type.equals(that.type) && components.equals(that.components);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, components);
  }

  /** The record type and the component coders, for example {@code RecordCoder<CountSum>(VarLongCoder, DecimalCoder)}. */
  @Override
  public String toString() {
    return "RecordCoder<" + type.getSimpleName() + ">("
        + components.stream().map(Object::toString).collect(Collectors.joining(", ")) + ")";
  }

  /** Method handles that read each component of a record and build one, typed to Object so calls need no casts. */
  private static final class Access {
    final MethodHandle[] getters;
    final MethodHandle constructor;

    private Access(MethodHandle[] getters, MethodHandle constructor) {
      this.getters = getters;
      this.constructor = constructor;
    }

    /** Reads the first {@code coded} components, and builds through the constructor that takes those. */
    static Access of(Class<?> type, int coded) {
      try {
        // records of other packages may be package-private: look them up with their own package's access
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        RecordComponent[] declared = Arrays.copyOf(type.getRecordComponents(), coded);
        MethodHandle[] getters = new MethodHandle[declared.length];
        for (int i = 0; i < declared.length; i++) {
          getters[i] = lookup.unreflect(declared[i].getAccessor())
              .asType(MethodType.methodType(Object.class, Object.class));
        }
        Class<?>[] parameters = Arrays.stream(declared).map(RecordComponent::getType).toArray(Class<?>[]::new);
        MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class, parameters))
            .asSpreader(Object[].class, parameters.length)
            .asType(MethodType.methodType(Object.class, Object[].class));
        return new Access(getters, constructor);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot read or build a " + type.getName() + ": " + e.getMessage(), e);
      }
    }
  }
}
